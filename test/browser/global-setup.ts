import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { consoleDistDir, ensureConsoleBuilt } from "../../infra/local/console-build.ts";
import { startLocalStack } from "../../infra/local/local-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    consoleUrl: string;
    api: string;
    adminToken: string;
    outboxDir: string;
  }
}

/**
 * The console as organisers get it from `npm start`: built once (unless already up to date), served
 * at `/console/` by a local stack of its own (DynamoDB Local in memory, the local SES and bus) on
 * free ports, stopped after the run.
 */
export default async function setup(project: TestProject) {
  await ensureConsoleBuilt(() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), "convene-browser-"));
  const stack = await startLocalStack({
    dataDir,
    ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
    sesMaxSendRate: 50,
    scheduleSeconds: 1,
    adminToken: "browser-test-admin-token",
    inMemoryDynamo: true,
    seed: true,
    consoleDir: consoleDistDir,
    log: () => undefined,
  });
  project.provide("consoleUrl", stack.urls.console);
  project.provide("api", stack.urls.api);
  project.provide("adminToken", stack.adminToken);
  project.provide("outboxDir", join(dataDir, "outbox"));
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
