import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterOf } from "../../bin/commands/dead-letters.ts";
import { type LocalStack, startLocalStack } from "../../infra/local/local-stack.ts";
import { buildConveneBundle, runNode } from "../support/convene-cli.ts";
import { mailsTo } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";

let stack: LocalStack;
let dataDir: string;
let convene: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "convene-dead-letters-"));
  [convene, stack] = await Promise.all([
    buildConveneBundle(dataDir),
    startLocalStack({
      dataDir,
      ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
      sesMaxSendRate: 100,
      adminToken: "dead-letters-test-token",
      inMemoryDynamo: true,
      seed: false,
      log: () => undefined,
    }),
  ]);
}, 60_000);

afterAll(async () => {
  delete process.env.CONVENE_LOCAL_FAIL_TARGETS;
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** `convene dead-letters …` as an operator runs it against this stack: a real process (compiled once). */
function deadLetters(...args: string[]) {
  return runNode(convene, ["dead-letters", ...args], {
    CONVENE_DATA_DIR: dataDir,
    CONVENE_BUS_PORT: new URL(stack.urls.bus).port,
    CONVENE_DEAD_LETTER_QUEUE_URL: undefined,
    CONVENE_LOCAL_FAIL_TARGETS: undefined,
  });
}

async function send(method: string, path: string, body: unknown, admin = false) {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(admin && { authorization: `Bearer ${stack.adminToken}` }),
    },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
}

describe("convene dead-letters, locally", () => {
  it("lists a consumer's failed event and redrives it to that consumer once it works again", async () => {
    const eventId = uniqueId("dead-letters");
    const person = registrant();
    await send("PUT", `/admin/events/${eventId}`, sampleEvent(), true);

    // The test switch of the local bus: the confirmation mailer fails every attempt.
    process.env.CONVENE_LOCAL_FAIL_TARGETS = "send-registration-mail";
    await send("POST", `/events/${eventId}/registrations`, person);
    // The registration's message reaches the bus through the table's stream, then fails its retries.
    await waitUntil(
      "the confirmation's dead letter",
      () => readdir(join(dataDir, "dead-letters")).catch(() => []),
      (letters) => letters.length === 1,
      30_000,
    );
    delete process.env.CONVENE_LOCAL_FAIL_TARGETS;
    const outbox = join(dataDir, "outbox");
    expect(await mailsTo(outbox, person.email)).toHaveLength(0);

    const listed = await deadLetters("list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("1 dead letter(s)");
    expect(listed.stdout).toMatch(
      /send-registration-mail\s+registration\.created\s+send-registration-mail fails on purpose/,
    );

    const redriven = await deadLetters("redrive", "--all");
    expect(redriven.code, redriven.stderr).toBe(0);
    expect(redriven.stdout).toMatch(
      /Redriven 1 dead letter.*\n.*registration\.created → send-registration-mail/,
    );
    await stack.bus.idle();

    const [confirmation] = await mailsTo(outbox, person.email);
    expect(confirmation?.calendar).toContain("METHOD:REQUEST");
    expect(await readdir(join(dataDir, "dead-letters"))).toEqual([]);
  });

  it("says which dead letter it does not know", async () => {
    const result = await deadLetters("redrive", "no-such-letter");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No dead letter no-such-letter");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("dead letters of the AWS queue", () => {
  const event = { id: "e-1", "detail-type": "reminder.due", source: "convene", detail: { eventId: "x" } };

  it("reads Lambda's failure records: the function, the original event and the error", () => {
    const letter = deadLetterOf({
      MessageId: "m-1",
      Body: JSON.stringify({
        version: "1.0",
        timestamp: "2027-03-03T08:00:05.000Z",
        requestContext: {
          requestId: "r-1",
          functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:convene-dev-send-reminders:$LATEST",
          condition: "RetriesExhausted",
          approximateInvokeCount: 3,
        },
        requestPayload: event,
        responseContext: { statusCode: 200, functionError: "Unhandled" },
        responsePayload: { errorType: "Error", errorMessage: "Throttling" },
      }),
    });
    expect(letter).toMatchObject({
      id: "m-1",
      target: "send-reminders",
      event,
      error: "Error: Throttling (3 attempts)",
    });
    expect(letter.failedAt.toISOString()).toBe("2027-03-03T08:00:05.000Z");
  });

  it("reads EventBridge's dead letters by their message attributes", () => {
    const letter = deadLetterOf({
      MessageId: "m-2",
      Body: JSON.stringify(event),
      Attributes: { SentTimestamp: "1804060800000" },
      MessageAttributes: {
        TARGET_ARN: {
          DataType: "String",
          StringValue: "arn:aws:lambda:eu-west-1:123456789012:function:convene-send-mailing-batch",
        },
        ERROR_CODE: { DataType: "String", StringValue: "SDK_CLIENT_ERROR" },
        ERROR_MESSAGE: { DataType: "String", StringValue: "Rate exceeded" },
      },
    });
    expect(letter).toMatchObject({
      target: "send-mailing-batch",
      event,
      error: "SDK_CLIENT_ERROR: Rate exceeded",
    });
  });

  it("reads an event a consumer's queue moved here: the function its queue is named after, and its receives", () => {
    const letter = deadLetterOf({
      MessageId: "m-3",
      // What EventBridge put on the queue: the event itself.
      Body: JSON.stringify(event),
      Attributes: {
        SentTimestamp: "1804060800000",
        ApproximateReceiveCount: "6",
        DeadLetterQueueSourceArn: "arn:aws:sqs:eu-west-1:123456789012:convene-dev-record-feedback",
      },
    });
    expect(letter).toMatchObject({ id: "m-3", target: "record-feedback", event });
    expect(letter.failedAt.getTime()).toBe(1804060800000);
    expect(letter.error).toMatch(/^record-feedback failed it at every receive \(6 receives/);
    expect(letter.error).toContain("/aws/lambda/convene-dev-record-feedback");
  });

  it("names the consumer of a queue EventBridge could not deliver to", () => {
    const letter = deadLetterOf({
      MessageId: "m-4",
      Body: JSON.stringify(event),
      MessageAttributes: {
        TARGET_ARN: {
          DataType: "String",
          StringValue: "arn:aws:sqs:eu-west-1:123456789012:convene-record-feedback",
        },
        ERROR_CODE: { DataType: "String", StringValue: "SDK_CLIENT_ERROR" },
      },
    });
    expect(letter.target).toBe("record-feedback");
  });

  it("refuses a message of none of the three shapes, naming it", () => {
    expect(() => deadLetterOf({ MessageId: "m-5", Body: JSON.stringify(event) })).toThrow(/Message m-5/);
  });
});
