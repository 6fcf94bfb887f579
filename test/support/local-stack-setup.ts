import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { consoleDistDir, ensureConsoleBuilt } from "../../infra/local/console-build.ts";
import { type LocalStack, startLocalStack } from "../../infra/local/local-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    api: string;
    adminToken: string;
    outboxDir: string;
    dataDir: string;
    bus: string;
  }
}

/** The run's one stack and how many projects use it, kept on `globalThis`: each project's global setup is a module of its own. */
const shared = globalThis as typeof globalThis & {
  conveneTestStack?: Promise<{ stack: LocalStack; dataDir: string }>;
  conveneTestStackUsers?: number;
};

async function start() {
  // Off: tests register hundreds of people from 127.0.0.1, and the files of both projects use the
  // same fixture addresses (past a mailbox's 5 an hour). The limits are tested on their own (abuse-*).
  process.env.CONVENE_REGISTRATION_RATE_LIMIT = "0";
  // The console, which the browser files open at /console/ (already built by `npm test`'s checks).
  await ensureConsoleBuilt(() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), "convene-test-"));
  const stack = await startLocalStack({
    dataDir,
    ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
    sesMaxSendRate: 200,
    scheduleSeconds: 1,
    adminToken: "integration-test-admin-token",
    inMemoryDynamo: true,
    seed: true,
    consoleDir: consoleDistDir,
    log: () => undefined,
    functionLogLevel: "ERROR",
  });
  return { stack, dataDir };
}

/**
 * One local stack for the whole run (DynamoDB Local in memory, the local SES and bus, the
 * console), on free ports, shared by the integration and the browser projects (a stack costs ~8 s
 * of CPU to start) and stopped after the last of them. Tests talk to it over HTTP, as users and
 * scripts do, each on events of its own; the variables it sets (table, bus, endpoints) are
 * inherited by the test workers, so use cases can also be called directly against the same
 * services. In this process, not a process of its own: two stacks in one process would share the
 * handlers' modules, whose AWS clients point at the first stack's services; one is all a run needs.
 */
export default async function setup(project: TestProject) {
  // A start that failed is not kept for the next project's setup.
  shared.conveneTestStack ??= start().catch((error: unknown) => {
    shared.conveneTestStack = undefined;
    throw error;
  });
  const { stack, dataDir } = await shared.conveneTestStack;
  shared.conveneTestStackUsers = (shared.conveneTestStackUsers ?? 0) + 1;
  project.provide("api", stack.urls.api);
  project.provide("adminToken", stack.adminToken);
  project.provide("outboxDir", join(dataDir, "outbox"));
  project.provide("dataDir", dataDir);
  project.provide("bus", stack.urls.bus);
  return async () => {
    shared.conveneTestStackUsers = (shared.conveneTestStackUsers ?? 1) - 1;
    if (shared.conveneTestStackUsers > 0) return;
    shared.conveneTestStack = undefined;
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
