import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLocalStack } from "../../infra/local/local-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    api: string;
    adminToken: string;
    outboxDir: string;
    dataDir: string;
    bus: string;
  }
}

/**
 * One local stack for the whole integration run (DynamoDB Local in memory, the local SES and bus),
 * on free ports, stopped after the run. Tests talk to it over HTTP, as users and scripts do; the
 * variables it sets (table, bus, endpoints) are inherited by the test workers, so use cases can
 * also be called directly against the same services.
 */
export default async function setup(project: TestProject) {
  // Tests register hundreds of people from 127.0.0.1: the limits are tested on their own (abuse-*).
  process.env.CONVENE_REGISTRATION_RATE_LIMIT = "1000000";
  const dataDir = await mkdtemp(join(tmpdir(), "convene-test-"));
  const stack = await startLocalStack({
    dataDir,
    ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
    sesMaxSendRate: 200,
    scheduleSeconds: 1,
    adminToken: "integration-test-admin-token",
    inMemoryDynamo: true,
    seed: true,
    log: () => undefined,
    functionLogLevel: "ERROR",
  });
  project.provide("api", stack.urls.api);
  project.provide("adminToken", stack.adminToken);
  project.provide("outboxDir", join(dataDir, "outbox"));
  project.provide("dataDir", dataDir);
  project.provide("bus", stack.urls.bus);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
