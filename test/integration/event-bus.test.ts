import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BusEnvelope, type LocalEventBus, startEventBus } from "../../infra/local/event-bus.ts";

/** What each test target received, by rule name. */
const received: Record<string, BusEnvelope[]> = {
  created: [],
  french: [],
  failing: [],
  scheduled: [],
  ses: [],
};
const logLines: string[] = [];
let bus: LocalEventBus;
let client: EventBridgeClient;
let deadLetterDir: string;

beforeAll(async () => {
  deadLetterDir = join(await mkdtemp(join(tmpdir(), "convene-bus-")), "dead-letters");
  const record = (name: string) => async (event: BusEnvelope) => void received[name]?.push(event);
  bus = await startEventBus({
    port: 0,
    busName: "convene",
    deadLetterDir,
    retry: { attempts: 3, firstDelayMs: 10 },
    log: (line) => logLines.push(line),
    rules: [
      {
        name: "created",
        pattern: { source: ["convene"], "detail-type": ["registration.created"] },
        target: record("created"),
      },
      {
        name: "french",
        pattern: {
          source: ["convene"],
          detail: { session: { language: ["fr"] }, seats: [{ numeric: [">", 0] }] },
        },
        target: record("french"),
      },
      {
        name: "failing",
        pattern: { "detail-type": [{ prefix: "mailing." }] },
        target: async (event) => {
          received.failing?.push(event);
          throw new Error("the mail service is down");
        },
      },
      { name: "ses", pattern: { source: ["aws.ses"] }, target: record("ses"), bus: "default" },
    ],
    schedules: [{ name: "scheduled", everyMs: 50, target: record("scheduled") }],
  });
  client = new EventBridgeClient({
    endpoint: bus.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  client.destroy();
  await bus.close();
});

/** Puts one entry; `busName: null` leaves EventBusName out (the default bus, as in EventBridge). */
const put = (detailType: string, detail: unknown, busName: string | null = "convene", source = "convene") =>
  client.send(
    new PutEventsCommand({
      Entries: [
        {
          ...(busName !== null && { EventBusName: busName }),
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );

describe("local event bus", () => {
  it("delivers a PutEvents entry to exactly the rules whose patterns match", async () => {
    const result = await put("registration.created", {
      session: { language: "fr" },
      seats: 3,
      marker: "both",
    });
    await put("registration.created", { session: { language: "en" }, seats: 3, marker: "created-only" });
    await put("registration.cancelled", { session: { language: "fr" }, seats: 0, marker: "none" });
    await bus.idle();

    expect(result.FailedEntryCount).toBe(0);
    expect(received.created?.map((event) => (event.detail as { marker: string }).marker)).toEqual([
      "both",
      "created-only",
    ]);
    expect(received.french?.map((event) => (event.detail as { marker: string }).marker)).toEqual(["both"]);
    expect(received.created?.[0]).toMatchObject({
      source: "convene",
      "detail-type": "registration.created",
      id: result.Entries?.[0]?.EventId,
    });
  });

  it("retries a target that keeps throwing, then keeps the event as a dead letter and logs it", async () => {
    await put("mailing.batch", { mailingId: "m-1" });
    await bus.idle();

    expect(received.failing).toHaveLength(3);
    const files = await readdir(deadLetterDir);
    expect(files).toHaveLength(1);
    const deadLetter = JSON.parse(await readFile(join(deadLetterDir, files[0] as string), "utf8"));
    expect(deadLetter).toMatchObject({ rule: "failing", attempts: 3, error: "the mail service is down" });
    expect(deadLetter.event.detail).toEqual({ mailingId: "m-1" });
    expect(logLines.some((line) => line.includes("dead letter") && line.includes("failing"))).toBe(true);
  });

  it("reports entries it cannot accept instead of dropping them silently", async () => {
    const wrongBus = await put("registration.created", { marker: "elsewhere" }, "another-bus");
    const badDetail = await client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: "convene", Source: "convene", DetailType: "x", Detail: "[1, 2" }],
      }),
    );

    expect(wrongBus.FailedEntryCount).toBe(1);
    expect(badDetail.Entries?.[0]?.ErrorCode).toBe("MalformedDetail");
  });

  it("routes an entry only to the rules of the bus it was put on, the default bus included", async () => {
    const onDefault = await put("Email Bounced", { marker: "default" }, null, "aws.ses");
    await put(
      "Email Bounced",
      { marker: "default-arn" },
      "arn:aws:events:local:000000000000:event-bus/default",
      "aws.ses",
    );
    await put("Email Bounced", { marker: "custom" }, "convene", "aws.ses");
    await put("registration.created", { marker: "convene-on-default" }, "default");
    await bus.idle();

    expect(onDefault.FailedEntryCount).toBe(0);
    expect(received.ses?.map((event) => (event.detail as { marker: string }).marker)).toEqual([
      "default",
      "default-arn",
    ]);
    const markers = received.created?.map((event) => (event.detail as { marker: string }).marker);
    expect(markers).not.toContain("convene-on-default");
  });

  it("fires schedule rules on their timer with a Scheduled Event", async () => {
    // Every 50 ms; on a busy machine the timers may run late, so wait for two rather than a fixed time.
    for (let waited = 0; (received.scheduled?.length ?? 0) < 2 && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(received.scheduled?.length).toBeGreaterThanOrEqual(2);
    expect(received.scheduled?.[0]).toMatchObject({ source: "aws.events", "detail-type": "Scheduled Event" });
  });
});
