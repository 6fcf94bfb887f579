import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const projectDir = fileURLToPath(new URL("../..", import.meta.url));

/** Where the organiser console's sources are, and where Vite writes the built app. */
export const consoleDir = join(projectDir, "console");
export const consoleDistDir = join(consoleDir, "dist");

/** What the bundle is made of: the app itself and the shared schemas and texts it imports. */
const sources = [consoleDir, join(projectDir, "shared", "domain"), join(projectDir, "shared", "mailings")];

/**
 * Builds the console when `console/dist` is missing or older than any of its sources, so that
 * `npm start` on a fresh clone serves an app, and a second start (nothing changed) costs only a walk
 * of the source folders. Returns whether it built.
 */
export async function ensureConsoleBuilt(log: (line: string) => void = console.log): Promise<boolean> {
  const builtAt = await stat(join(consoleDistDir, "index.html")).then(
    (file) => file.mtimeMs,
    () => 0,
  );
  const newest = Math.max(...(await Promise.all(sources.map(newestChange))));
  if (builtAt > newest) return false;
  log("Building the organiser console (once, until its sources change)…");
  const { build } = await import("vite");
  await build({ configFile: join(consoleDir, "vite.config.ts"), logLevel: "warn" });
  return true;
}

async function newestChange(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const times = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).startsWith(consoleDistDir))
      .map((entry) => stat(join(entry.parentPath, entry.name)).then((file) => file.mtimeMs)),
  );
  return Math.max(0, ...times);
}
