import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "../../infra/local/dynamo.ts";
import { startLocalStack } from "../../infra/local/local-stack.ts";
import { PortInUseError } from "../../infra/local/ports.ts";
import { startSesServerThread } from "../../infra/local/ses-thread.ts";

/** A program of the developer's on a port, answering every request as an empty DynamoDB would. */
async function otherProgram() {
  const server = createServer((_, response) => {
    response.setHeader("content-type", "application/x-amz-json-1.0");
    response.end(JSON.stringify({ TableNames: [] }));
  });
  server.listen(0, "0.0.0.0");
  await once(server, "listening");
  return { port: (server.address() as { port: number }).port, [Symbol.dispose]: () => server.close() };
}

describe("the local runtime's ports, taken by another program", () => {
  let dataDir = "";
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "convene-ports-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("DynamoDB Local's: refused, naming the port and the settings that choose another, instead of using the DynamoDB that answers there", async () => {
    using other = await otherProgram();
    const started = startDynamoDbLocal({ port: other.port });
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(`DynamoDB Local could not listen on port ${other.port}`);
    await expect(started).rejects.toThrow("CONVENE_DYNAMODB_PORT");
  }, 60_000);

  it("the API's: the start fails with that message before it starts anything (no DynamoDB Local, no files)", async () => {
    using other = await otherProgram();
    const started = startLocalStack({
      dataDir,
      ports: { http: other.port, dynamo: 0, ses: 0, bus: 0 },
      sesMaxSendRate: 10,
      seed: false,
      log: () => undefined,
    });
    // Should it start regardless, it is stopped at once (its variables stay this file's only).
    started.then((stack) => stack.stop()).catch(() => undefined);
    await expect(started).rejects.toThrow(`The API could not listen on port ${other.port}`);
    await expect(started).rejects.toThrow("CONVENE_PORT");
    expect(await readdir(dataDir)).toEqual(["admin-token"]);
  }, 60_000);

  it("the local SES's, whose error crosses from its thread: the same message", async () => {
    using other = await otherProgram();
    const started = startSesServerThread({
      port: other.port,
      outboxDir: join(dataDir, "outbox"),
      maxSendRate: 10,
    });
    started.then((ses) => ses.close()).catch(() => undefined);
    await expect(started).rejects.toThrow(`The local SES could not listen on port ${other.port}`);
  });
});
