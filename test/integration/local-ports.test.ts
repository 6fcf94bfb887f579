import { once } from "node:events";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "../../infra/local/dynamo.ts";
import { startHttpGateway } from "../../infra/local/http-gateway.ts";
import { PortInUseError } from "../../infra/local/ports.ts";

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
  it("DynamoDB Local's: refused, naming the port and the settings that choose another, instead of using the DynamoDB that answers there", async () => {
    using other = await otherProgram();
    const started = startDynamoDbLocal({ port: other.port });
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(`DynamoDB Local could not listen on port ${other.port}`);
    await expect(started).rejects.toThrow("CONVENE_DYNAMODB_PORT");
  }, 60_000);

  it("the API's: the same message, not a crash on an unhandled error", async () => {
    using other = await otherProgram();
    const started = startHttpGateway({
      port: other.port,
      host: "0.0.0.0",
      routes: [],
      adminToken: "x".repeat(24),
    });
    await expect(started).rejects.toThrow(`The API could not listen on port ${other.port}`);
    await expect(started).rejects.toThrow("CONVENE_PORT");
  });
});
