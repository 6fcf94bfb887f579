import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { type BusEnvelope, startEventBus, type Target } from "../../infra/local/event-bus.ts";
import { waitUntil } from "../support/wait.ts";

/** A local bus on a data dir whose one rule sends `registration.created` to `target`. */
const busOn = (dataDir: string, target: Target) =>
  startEventBus({
    port: 0,
    busName: "convene",
    deadLetterDir: join(dataDir, "dead-letters"),
    journalDir: join(dataDir, "bus-pending"),
    retry: { attempts: 3, firstDelayMs: 10 },
    closeWithinMs: 100,
    log: () => undefined,
    rules: [{ name: "created", pattern: { "detail-type": ["registration.created"] }, target }],
  });

const put = (url: string, registrationId: string) =>
  new EventBridgeClient({
    endpoint: url,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  }).send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "convene",
          Source: "convene",
          DetailType: "registration.created",
          Detail: JSON.stringify({ registrationId }),
        },
      ],
    }),
  );

describe("the local bus is durable", () => {
  it("delivers after a restart what it accepted and had not delivered, and nothing it had", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "convene-durable-bus-"));
    // The first run delivers one event, then its consumer hangs on the next (a process about to die).
    const firstRun: string[] = [];
    const first = await busOn(dataDir, async (event) => {
      const { registrationId } = event.detail as { registrationId: string };
      firstRun.push(registrationId);
      if (registrationId === "stuck") await new Promise(() => undefined);
    });
    await put(first.url, "delivered");
    await waitUntil(
      "the first delivery",
      async () => firstRun,
      (ids) => ids.includes("delivered"),
    );
    await put(first.url, "stuck");
    await waitUntil(
      "the stuck delivery to start",
      async () => firstRun,
      (ids) => ids.includes("stuck"),
    );
    await first.close(); // gives up on the stuck delivery after closeWithinMs, as a stop or crash would

    const secondRun: BusEnvelope[] = [];
    const second = await busOn(dataDir, async (event) => void secondRun.push(event));
    second.deliverJournaled();
    await waitUntil(
      "the kept delivery",
      async () => secondRun,
      (events) => events.length > 0,
    );
    await second.idle();
    const left = await readdir(join(dataDir, "bus-pending"));
    await second.close();
    await rm(dataDir, { recursive: true, force: true });

    expect(secondRun.map((event) => (event.detail as { registrationId: string }).registrationId)).toEqual([
      "stuck",
    ]);
    expect(left).toEqual([]);
  });

  it("runs at most a rule's concurrency of deliveries at once, and delivers every one", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "convene-bus-concurrency-"));
    let running = 0;
    let most = 0;
    const delivered: string[] = [];
    const bus = await startEventBus({
      port: 0,
      busName: "convene",
      deadLetterDir: join(dataDir, "dead-letters"),
      log: () => undefined,
      rules: [
        {
          name: "created",
          pattern: { "detail-type": ["registration.created"] },
          concurrency: 2,
          target: async (event) => {
            running++;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 20));
            running--;
            delivered.push((event.detail as { registrationId: string }).registrationId);
          },
        },
      ],
    });
    const ids = Array.from({ length: 8 }, (_, index) => `r${index}`);
    await Promise.all(ids.map((id) => put(bus.url, id)));
    await bus.idle();
    await bus.close();
    await rm(dataDir, { recursive: true, force: true });

    expect(most).toBe(2);
    expect(delivered.sort()).toEqual(ids);
  });
});
