import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const entry = fileURLToPath(new URL("../../bin/convene.ts", import.meta.url));

/**
 * The `bin/` modules find the project folder from their own `import.meta.url`; in one bundle that
 * would be the bundle's. Each keeps its own source's URL, so the compiled command behaves as the
 * shim's does wherever the bundle is written.
 */
const ownUrls: Plugin = {
  name: "own-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\/bin\/.*\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(path).href),
      ),
      loader: "ts",
    }));
  },
};

/**
 * `bin/convene.ts` and everything it imports compiled once into one file (esbuild, a second or
 * so): each command then starts as plain Node.js, without tsx compiling and resolving hundreds
 * of modules on every start (about four times less CPU per command). The shim that npm's `bin`
 * runs (`bin/convene.mjs`, tsx) is the same program; a test still runs it once. Written in `dir`
 * (the test's own temporary folder, removed with it).
 */
export async function buildConveneBundle(dir: string): Promise<string> {
  const outfile = join(dir, "convene.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    logLevel: "error",
    plugins: [ownUrls],
    // The CommonJS packages bundled into an ES module still call `require` for Node's own.
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
  });
  return outfile;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Node.js program (the bundle or the shim) with `args`: its exit code and its output. */
export function runNode(
  program: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [program, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
