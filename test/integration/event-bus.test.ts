import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { type BusEnvelope, type LocalEventBus, startEventBus } from "../../infra/local/event-bus.ts";
import { lambdaContext } from "../../infra/local/lambda-context.ts";
import { queueTarget } from "../../infra/local/queue-target.ts";
import { queueConsumer } from "../../shared/bus/consumer.ts";
import { defineEvent } from "../../shared/bus/define-event.ts";

/** What each test target received, by rule name. */
const received: Record<string, BusEnvelope[]> = {
  created: [],
  french: [],
  failing: [],
  scheduled: [],
  ses: [],
};

/**
 * A consumer that takes its events through a queue, as `record-feedback` does: the batches it got
 * (the numbers of their events), and a number it fails every time.
 */
const counted = defineEvent("test.counted", z.object({ n: z.number() }));
const batches: number[][] = [];
const failingNumber = 13;
const queuedConsumer = queueConsumer([counted], async (batch) => {
  batches.push(batch.map(({ message }) => message.detail.n));
  return batch
    .filter(({ message }) => message.detail.n === failingNumber)
    .map(({ id }) => ({ id, error: new Error(`number ${failingNumber} is refused`) }));
});
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
      {
        name: "queued",
        pattern: { "detail-type": [counted.detailType] },
        target: queueTarget("queued", (event) => queuedConsumer(event, lambdaContext("queued", 10)), 10),
      },
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

  it("hands a queued consumer its events in batches of up to 10; a record it fails is retried alone, then dead-lettered", async () => {
    const numbers = Array.from({ length: 25 }, (_, n) => n + 1);
    for (let start = 0; start < numbers.length; start += 10) {
      await client.send(
        new PutEventsCommand({
          Entries: numbers.slice(start, start + 10).map((n) => ({
            EventBusName: "convene",
            Source: "convene",
            DetailType: counted.detailType,
            Detail: JSON.stringify({ n }),
          })),
        }),
      );
    }
    // Not of the consumer's events: refused at parse, as a record, like a record it failed.
    await put(counted.detailType, { n: "not a number" });
    await bus.idle();

    const firstTime = batches.flat().filter((n) => n !== failingNumber);
    expect(firstTime.sort((a, b) => a - b)).toEqual(numbers.filter((n) => n !== failingNumber));
    expect(batches.every((batch) => batch.length <= 10)).toBe(true);
    expect(batches.length).toBeLessThan(numbers.length);
    // The refused number came again, alone, as many times as the bus retries, then became a dead letter.
    expect(batches.filter((batch) => batch.includes(failingNumber))).toHaveLength(3);
    const letters = await Promise.all(
      (await readdir(deadLetterDir)).map(async (file) =>
        JSON.parse(await readFile(join(deadLetterDir, file), "utf8")),
      ),
    );
    const queued = letters.filter((letter) => letter.rule === "queued");
    expect(queued.map((letter) => letter.event.detail)).toEqual(
      expect.arrayContaining([{ n: failingNumber }, { n: "not a number" }]),
    );
    expect(queued).toHaveLength(2);
    expect(queued[0]).toMatchObject({ attempts: 3, error: "queued failed this record" });
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
