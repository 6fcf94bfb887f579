import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { SESClient, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { afterAll, describe, expect, it } from "vitest";
import { type SentRecord, startSesServer } from "#infra/local/ses-server";
import { startSesServerThread } from "#infra/local/ses-thread";
import { waitUntil } from "../support/wait.ts";

/**
 * The local SES publishes a message's events (a configuration set's EventBridge destination)
 * before it answers the send (`publishEventsAfterMs` 0), or a moment after as SES does (what
 * `npm start` sets), and never loses them to a crash between storing and publishing.
 */
describe("the local SES's event publishing", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const outboxDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "ses-events-test-"));
    dirs.push(dir);
    return dir;
  };
  const start = (
    dir: string,
    publishEvents: (message: SentRecord) => Promise<void>,
    publishEventsAfterMs?: number,
  ) => startSesServer({ port: 0, outboxDir: dir, maxSendRate: 100, publishEvents, publishEventsAfterMs });
  const send = (url: string, to: string, configurationSet?: string) => {
    const client = new SESClient({
      endpoint: url,
      region: "eu-west-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    return client
      .send(
        new SendRawEmailCommand({
          RawMessage: {
            Data: Buffer.from(`From: webinars@convene.local\r\nTo: ${to}\r\nSubject: Hi\r\n\r\nHello\r\n`),
          },
          ConfigurationSetName: configurationSet,
          Tags: [{ Name: "convene-delivery", Value: "REG_23r1__MAIL_23confirmation_231" }],
        }),
      )
      .finally(() => client.destroy());
  };
  const kept = async (dir: string) => readdir(join(dir, ".events")).catch(() => []);

  it("publishes each message sent with a configuration set, with its tags, before answering; none without one", async () => {
    const dir = await outboxDir();
    const published: SentRecord[] = [];
    const server = await start(dir, async (message) => void published.push(message));

    const { MessageId } = await send(server.url, "ada@example.org", "convene-local");
    const atAnswer = [...published];
    await send(server.url, "bob@example.org");
    await server.close();

    expect(atAnswer).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        destinations: ["ada@example.org"],
        configurationSet: "convene-local",
        tags: [{ name: "convene-delivery", value: "REG_23r1__MAIL_23confirmation_231" }],
      }),
    ]);
    expect(published).toHaveLength(1);
    expect(await kept(dir)).toEqual([]);
  });

  it("runs in a thread of its own as the local stack runs it: its events and the sent hook come back to this thread, the send answered after the hook", async () => {
    const dir = await outboxDir();
    const published: SentRecord[] = [];
    const order: string[] = [];
    const server = await startSesServerThread({
      port: 0,
      outboxDir: dir,
      maxSendRate: 100,
      publishEvents: async (message) => void published.push(message),
      onSent: async (message) => {
        await setTimeout(50);
        order.push(`hook: ${message.destinations.join()} ${message.raw.includes("Hello")}`);
      },
    });

    const { MessageId } = await send(server.url, "ada@example.org", "convene-local");
    order.push("answered");
    await server.eventsPublished();
    await server.close();

    expect(order).toEqual(["hook: ada@example.org true", "answered"]);
    expect(published).toEqual([
      expect.objectContaining({
        messageId: MessageId,
        tags: [{ name: "convene-delivery", value: "REG_23r1__MAIL_23confirmation_231" }],
      }),
    ]);
  });

  it("keeps what it could not publish and publishes it on the next start; drops the record of a message never stored", async () => {
    const dir = await outboxDir();
    // The bus refuses: the send is still answered (SES's events travel apart from its answer).
    const first = await start(dir, async () => {
      throw new Error("the bus refuses");
    });
    const { MessageId } = await send(first.url, "ada@example.org", "convene-local");
    await first.close(); // as a crash before the retry
    // A crash between the record and the message: nothing was accepted.
    await mkdir(join(dir, ".events"), { recursive: true });
    await writeFile(
      join(dir, ".events", "20261129T000000000Z-000001-never.eml.json"),
      JSON.stringify({
        messageId: "never",
        destinations: ["x@example.org"],
        tags: [],
        timestamp: "t",
        file: "f",
      }),
    );
    const keptBefore = (await kept(dir)).length;

    const published: string[] = [];
    const second = await start(dir, async (message) => void published.push(message.messageId));
    await second.recovered;
    await second.close();

    expect(keptBefore).toBe(2);
    expect(published).toEqual([MessageId]);
    expect(await kept(dir)).toEqual([]);
  });

  it("as SES, publishes after answering (as `npm start` does); a stop before then keeps the event for the next start", async () => {
    const dir = await outboxDir();
    const published: string[] = [];
    const publishing = (message: SentRecord) => void published.push(message.messageId);
    const first = await start(dir, async (message) => publishing(message), 250);
    const early = await send(first.url, "ada@example.org", "convene-local");
    const atAnswer = [...published];
    await first.eventsPublished();
    const afterWait = [...published];
    const late = await send(first.url, "bob@example.org", "convene-local");
    await first.close(); // within its quarter of a second: as a crash, for this message's event
    const keptAtStop = await kept(dir);

    const second = await start(dir, async (message) => publishing(message), 250);
    await second.recovered;
    await second.close();

    expect(atAnswer).toEqual([]);
    expect(afterWait).toEqual([early.MessageId]);
    expect(keptAtStop).toHaveLength(1);
    expect(published).toEqual([early.MessageId, late.MessageId]);
    expect(await kept(dir)).toEqual([]);
  });

  it("retries a publication that failed, a few seconds later, in the same run", async () => {
    const dir = await outboxDir();
    let refusing = true;
    const published: string[] = [];
    const server = await start(dir, async (message) => {
      if (refusing) throw new Error("the bus refuses");
      published.push(message.messageId);
    });
    const { MessageId } = await send(server.url, "ada@example.org", "convene-local");
    refusing = false;

    await waitUntil(
      "the retried publication",
      async () => published,
      (ids) => ids.length > 0,
      10_000,
    );
    await server.close();

    expect(published).toEqual([MessageId]);
    expect(await kept(dir)).toEqual([]);
  });
});
