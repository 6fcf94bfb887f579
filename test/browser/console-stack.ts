import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeStackPorts, spawnStack } from "../../infra/local/spawn-stack.ts";

const adminToken = "browser-test-admin-token";

export interface ConsoleStack {
  consoleUrl: string;
  api: string;
  adminToken: string;
  outboxDir: string;
  stop(): Promise<void>;
}

/**
 * The console as organisers get it: `npm start` in a process of its own, on free ports and a
 * fresh data dir, stopped after the tests. Started by the test file (not a global setup), so that
 * its start overlaps with the other test files instead of delaying them all.
 */
export async function startConsoleStack(): Promise<ConsoleStack> {
  const dataDir = await mkdtemp(join(tmpdir(), "convene-browser-"));
  const stack = await spawnStack({
    dataDir,
    ports: await freeStackPorts(),
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    adminToken,
    sesMaxSendRate: 50,
    scheduleSeconds: 1,
  });
  return {
    consoleUrl: `${stack.api}/console/`,
    api: stack.api,
    adminToken,
    outboxDir: join(dataDir, "outbox"),
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
