import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureConsoleBuilt } from "../../infra/local/console-build.ts";
import { freePort } from "../../infra/local/local-stack.ts";

const adminToken = "browser-test-admin-token";

export interface ConsoleStack {
  consoleUrl: string;
  api: string;
  adminToken: string;
  outboxDir: string;
  stop(): Promise<void>;
}

/**
 * The console as organisers get it: `npm start` (infra/local/start.ts) in a process of its own, on
 * free ports and a fresh data dir, stopped after the tests. Its own process, not a local stack in
 * the test's: two stacks in one process would share the handlers' modules, whose AWS clients point
 * at the first stack's services. Started by the test file (not a global setup), so that its start
 * overlaps with the other test files instead of delaying them all.
 */
export async function startConsoleStack(): Promise<ConsoleStack> {
  await ensureConsoleBuilt(() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), "convene-browser-"));
  const ports = {
    http: await freePort(),
    dynamo: await freePort(),
    ses: await freePort(),
    bus: await freePort(),
  };
  const api = `http://127.0.0.1:${ports.http}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
    env: {
      ...process.env,
      CONVENE_DATA_DIR: dataDir,
      CONVENE_PORT: String(ports.http),
      CONVENE_DYNAMODB_PORT: String(ports.dynamo),
      CONVENE_SES_PORT: String(ports.ses),
      CONVENE_BUS_PORT: String(ports.bus),
      CONVENE_ADMIN_TOKEN: adminToken,
      CONVENE_SES_MAX_SEND_RATE: "50",
      CONVENE_LOCAL_SCHEDULE_SECONDS: "1",
      POWERTOOLS_LOG_LEVEL: "ERROR",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await untilServing(api, child);
  return {
    consoleUrl: `${api}/console/`,
    api,
    adminToken,
    outboxDir: join(dataDir, "outbox"),
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the started stack answers (its demo event is seeded before it serves). */
async function untilServing(api: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    const ready = await fetch(`${api}/console/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error("npm start did not serve the console within 60 s");
}
