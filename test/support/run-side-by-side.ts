import { spawn } from "node:child_process";
import { z } from "zod";

/**
 * `npm run <script>` for each script named on the command line, all at once, for `npm test`'s
 * checks before Vitest (type checks, Biome and the architecture rules, the console's build):
 * independent of each other, and mostly one core each, so that on 2 cores they take about as long
 * as the longest instead of their sum. What each prints is held until it ends and then printed in
 * one piece under its name (side by side, their lines would interleave); the exit code is 1 if any
 * failed, after all have ended, so that every failure is shown at once.
 */
const scripts = z.array(z.string().min(1)).min(1).parse(process.argv.slice(2));

const runs = scripts.map(
  (script) =>
    new Promise<boolean>((resolve) => {
      const started = performance.now();
      const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
      const output: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
      child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
      child.on("close", (code, signal) => {
        const ok = code === 0;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const text = Buffer.concat(output).toString().trimEnd();
        process.stdout.write(
          `── ${script}: ${ok ? "passed" : `FAILED (${signal ?? `exit code ${code}`})`} in ${seconds} s\n${text ? `${text}\n` : ""}`,
        );
        resolve(ok);
      });
    }),
);

const results = await Promise.all(runs);
process.exitCode = results.every(Boolean) ? 0 : 1;
