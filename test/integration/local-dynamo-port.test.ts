import { once } from "node:events";
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { PortInUseError, startDynamoDbLocal } from "../../infra/local/dynamo.ts";

describe("DynamoDB Local of npm start and the test stacks", () => {
  it("refuses a port where another DynamoDB answers, saying which port and how to choose another, instead of using that database", async () => {
    // Answers every request as an empty DynamoDB would (ListTables included).
    const other = createServer((_, response) => {
      response.setHeader("content-type", "application/x-amz-json-1.0");
      response.end(JSON.stringify({ TableNames: [] }));
    });
    other.listen(0, "0.0.0.0");
    await once(other, "listening");
    const { port } = other.address() as { port: number };
    try {
      const started = startDynamoDbLocal({ port });
      await expect(started).rejects.toBeInstanceOf(PortInUseError);
      await expect(started).rejects.toThrow(`port ${port}`);
      await expect(started).rejects.toThrow("CONVENE_DYNAMODB_PORT");
    } finally {
      other.close();
    }
  }, 60_000);
});
