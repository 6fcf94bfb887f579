/**
 * `npm run bench`: runs every `scripts/measure-*.ts`, one after another, each on a fresh local
 * stack of its own (DynamoDB Local in memory, free ports), and prints one table of their figures:
 * figure, value, goal, pass/fail. A script that reports no figure of its own is one row, passed
 * when its own checks passed. The machine's load is printed with the table, since every figure is
 * taken on whatever else the machine is doing. Exits with 1 if any figure fails.
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { type Figure, figureLinePrefix } from "./figures.ts";

const scriptsDir = import.meta.dirname;
const scripts = (await readdir(scriptsDir)).filter((file) => /^measure-.*\.ts$/.test(file)).sort();

/** Runs one script with tsx; its output is kept for the figures and shown on failure. */
function run(script: string): Promise<{ code: number; output: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(scriptsDir, script)], {
      stdio: ["ignore", "pipe", "pipe"],
      // Each script registers its people from one address: the per-IP limit of registrations
      // (120 an hour) would stop them; measure-registration raises it itself, to count its cost.
      env: { ...process.env, NODE_NO_WARNINGS: "1", CONVENE_REGISTRATION_RATE_LIMIT: "0" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? 1, output, seconds: (performance.now() - started) / 1000 }),
    );
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
  row === header ? "pass/fail" : row.pass ? "pass" : "FAIL",
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
process.exit(rows.every((row) => row.pass) ? 0 : 1);
