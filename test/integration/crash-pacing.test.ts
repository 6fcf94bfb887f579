import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type SesServer, startSesServer } from "../../infra/local/ses-server.ts";
import { composeMessage } from "../../shared/mail/compose.ts";
import { throttlingCounter } from "../support/ses-throttling.ts";

type Mailer = typeof import("../../shared/mail/mailer.ts");

const maxSendRate = 20;
const sender = "webinars@convene.test";
let server: SesServer;
let counter: Awaited<ReturnType<typeof throttlingCounter>>;
let outboxDir: string;
const savedEnvironment: Record<string, string | undefined> = {};

/** A mailer module of its own, as a separate Lambda instance (or function) has. */
async function separateMailer(): Promise<Mailer> {
  vi.resetModules();
  return import("../../shared/mail/mailer.ts");
}

beforeAll(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), "crash-pacing-"));
  server = await startSesServer({ port: 0, outboxDir, maxSendRate });
  counter = await throttlingCounter(server.url);
  // This file's own SES (its own rate and outbox); the table is the test stack's.
  const environment = {
    AWS_ENDPOINT_URL_SES: counter.url,
    SENDER_EMAIL: sender,
    SES_CONFIGURATION_SET: "convene-pacing-test",
  };
  for (const [name, value] of Object.entries(environment)) {
    savedEnvironment[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await counter.close();
  await server.close();
  await rm(outboxDir, { recursive: true, force: true });
});

describe("one SES rate for every sender of the account", () => {
  it("keeps two senders of separate processes together within the max send rate", async () => {
    const [first, second] = [await separateMailer(), await separateMailer()];
    const sends = (mailer: Mailer, prefix: string) =>
      Array.from({ length: 30 }, async (_, index) => {
        const to = `${prefix}${index}@example.org`;
        const raw = await composeMessage({
          from: sender,
          to,
          subject: `${prefix} ${index}`,
          text: "Hello",
          html: "<p>Hello</p>",
        });
        return mailer.sendRawMail({ raw, to });
      });

    const started = performance.now();
    const results = await Promise.all([...sends(first, "a"), ...sends(second, "b")]);
    const elapsedMs = performance.now() - started;

    expect(new Set(results.map((result) => result.messageId)).size).toBe(60);
    expect((await readdir(outboxDir)).filter((file) => file.endsWith(".eml"))).toHaveLength(60);
    // 60 mails at 0.98 of 20/s take 3 s; two senders pacing themselves alone would take 1.5 s,
    // and SES would throttle about 30 of their requests.
    expect(elapsedMs).toBeGreaterThanOrEqual(2_500);
    expect(counter.seen.throttled).toBeLessThan(10);
  }, 60_000);
});
