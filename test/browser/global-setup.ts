import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freeStackPorts, spawnStack } from "../../infra/local/spawn-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The browser files' `npm start` (test/browser/console-stack.ts waits until it serves). */
    browserStack: {
      api: string;
      adminToken: string;
      outboxDir: string;
      failedFile: string;
      /** A line per browser file done with the stack (`test/browser/stack-release.ts`). */
      doneFile: string;
    };
  }
}

/**
 * One `npm start` for every browser test file, each working on events of its own: a stack costs
 * seconds of CPU to start (Java, the functions), so the files share it and run side by side.
 * Its own process, not a local stack in this one: two stacks in one process would share the
 * handlers' modules, whose AWS clients point at the first stack's services (the integration
 * project's, when both run). Not awaited here: the stack starts while the other projects' files
 * already run, and each browser file waits until it serves.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), "convene-browser-"));
  const ports = await freeStackPorts();
  const adminToken = "browser-test-admin-token";
  const failedFile = join(dataDir, "npm-start-failed.txt");
  const started = spawnStack({
    dataDir,
    ports,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    adminToken,
    sesMaxSendRate: 50,
    scheduleSeconds: 1,
    echoErrors: true,
  }).catch(async (error: unknown) => {
    // What the files waiting for it then fail with, at once.
    await writeFile(failedFile, error instanceof Error ? error.message : String(error));
    return undefined;
  });
  const doneFile = join(dataDir, "browser-files-done.txt");
  project.provide("browserStack", {
    api: `http://127.0.0.1:${ports.http}`,
    adminToken,
    outboxDir: join(dataDir, "outbox"),
    failedFile,
    doneFile,
  });
  // Stopped once every browser file is done with it, not at the end of the whole run: idle, it
  // still takes ~6 % of a core (its schedule, its table stream), for the minutes the other
  // projects' files still run. A run of some of the files only, or in watch mode (reruns), keeps it
  // until the end.
  const files = (await project.globTestFiles()).testFiles.length;
  const stopWhenDone = project.vitest.config.watch
    ? undefined
    : setInterval(async () => {
        const done = (await readFile(doneFile, "utf8").catch(() => "")).split("\n").filter(Boolean);
        if (done.length < files) return;
        clearInterval(stopWhenDone);
        await (await started)?.crash();
      }, 1_000);
  return async () => {
    clearInterval(stopWhenDone);
    // Its data goes with it: no need to wait for a clean stop.
    await (await started)?.crash();
    await rm(dataDir, { recursive: true, force: true });
  };
}
