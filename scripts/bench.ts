/**
 * `npm run bench`: runs every `scripts/measure-*.ts`, one after another, each on a fresh local
 * stack of its own (DynamoDB Local in memory, free ports), and prints one table of their figures:
 * figure, value, goal, pass/fail. A script that reports no figure of its own is one row, passed
 * when its own checks passed. The machine's load is printed with the table, since every figure is
 * taken on whatever else the machine is doing. Exits with 1 if any figure fails. Words given as
 * arguments run only the scripts whose names hold one of them.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { type Figure, figureLinePrefix } from "./figures.ts";

const scriptsDir = import.meta.dirname;
/** `npm run bench -- mailing reminders`: only the scripts whose names hold one of the words given. */
const only = process.argv.slice(2);
const scripts = (await readdir(scriptsDir))
  .filter((file) => /^measure-.*\.ts$/.test(file))
  .filter((file) => only.length === 0 || only.some((word) => file.includes(word)))
  .sort();

/**
 * The longest one script may run: the slowest (crash recovery, 2,000 reminders) take a few minutes
 * on a loaded machine; past this one is stopped and reported, so the bench always ends.
 */
const scriptTimeoutMs = 30 * 60_000;

/** The process group of the script running now, to stop it (and its DynamoDB Local) at once. */
let running: number | undefined;
const stopRunning = () => {
  if (running === undefined) return;
  try {
    process.kill(-running, "SIGKILL");
  } catch {
    // Already gone.
  }
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopRunning();
    process.exit(130);
  });
}

/**
 * Runs one script with tsx, in a process group of its own: a script that outlives its time is
 * stopped with everything it started (its local stack's Java included), which a signal to the
 * script alone would leave behind. Its output is kept for the figures and shown on failure.
 */
function run(script: string): Promise<{ code: number; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(scriptsDir, script)], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      // Each script registers its people from one address: the per-IP limit of registrations
      // (120 an hour) would stop them; measure-registration raises it itself, to count its cost.
      env: { ...process.env, NODE_NO_WARNINGS: "1", CONVENE_REGISTRATION_RATE_LIMIT: "0" },
    });
    running = child.pid;
    const timer = setTimeout(() => {
      output += `\nstopped after ${scriptTimeoutMs / 60_000} minutes\n`;
      stopRunning();
    }, scriptTimeoutMs);
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      // Whatever the script left running in its group (it should have stopped its stack itself).
      stopRunning();
      running = undefined;
      resolve({ code: code ?? 1, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");
const loadBefore = load();
const rows: Figure[] = [];
for (const script of scripts) {
  process.stderr.write(`${script} … `);
  const { code, output, seconds } = await run(script);
  process.stderr.write(`exit ${code} in ${seconds.toFixed(0)} s\n`);
  const figures = output
    .split("\n")
    .filter((line) => line.startsWith(figureLinePrefix))
    .map((line) => JSON.parse(line.slice(figureLinePrefix.length)) as Figure);
  if (figures.length === 0) {
    figures.push({ figure: script, value: `exit ${code}`, goal: "its own checks pass", pass: code === 0 });
  }
  if (code !== 0) process.stderr.write(`${output.split("\n").slice(-15).join("\n")}\n`);
  rows.push(...figures);
}

const header: Figure = { figure: "figure", value: "value", goal: "goal", pass: true };
const cells = (row: Figure) => [
  row.figure,
  row.value,
  row.goal,
  row === header ? "pass/fail" : row.pass === null ? "—" : row.pass ? "pass" : "FAIL",
];
const widths = [0, 1, 2, 3].map((column) =>
  Math.max(...[header, ...rows].map((row) => cells(row)[column]?.length ?? 0)),
);
const line = (row: Figure) =>
  `| ${cells(row)
    .map((cell, column) => cell.padEnd(widths[column] ?? 0))
    .join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const row of rows) console.log(line(row));
console.log(
  `\n${availableParallelism()} cores; load average (1, 5, 15 min) ${loadBefore} before, ${load()} after.`,
);
process.exit(rows.every((row) => row.pass !== false) ? 0 : 1);
