import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GetSendQuotaCommand, SESClient, SendEmailCommand, SendRawEmailCommand } from "@aws-sdk/client-ses";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type SentMessage, type SesServer, startSesServer } from "#infra/local/ses-server";

/** A server on a free port with its own temporary outbox, and an SDK client pointed at it. */
interface Harness {
  server: SesServer;
  outboxDir: string;
  client: SESClient;
  sent: SentMessage[];
}

async function startHarness(
  maxSendRate: number,
  options: { outboxDir?: string; onSent?: (message: SentMessage) => void | Promise<void> } = {},
): Promise<Harness> {
  const outboxDir = options.outboxDir ?? (await mkdtemp(join(tmpdir(), "ses-server-test-")));
  const sent: SentMessage[] = [];
  const server = await startSesServer({
    port: 0,
    outboxDir,
    maxSendRate,
    onSent: options.onSent ?? ((message) => void sent.push(message)),
  });
  const client = new SESClient({
    endpoint: server.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1, // so the SDK's own retries cannot hide a Throttling error
  });
  return { server, outboxDir, client, sent };
}

async function stopHarness(harness: Harness): Promise<void> {
  harness.client.destroy();
  await harness.server.close();
  await rm(harness.outboxDir, { recursive: true, force: true });
}

function compose(mail: Mail.Options): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

async function outboxFiles(outboxDir: string): Promise<string[]> {
  return (await readdir(outboxDir)).filter((name) => name.endsWith(".eml")).sort();
}

async function fileOf(outboxDir: string, messageId: string | undefined): Promise<string> {
  const file = (await outboxFiles(outboxDir)).find((name) => messageId && name.includes(messageId));
  if (!file) throw new Error(`no outbox file for message ${messageId}`);
  return file;
}

function simpleEmail(subject: string, to = "ana@example.org"): SendEmailCommand {
  return new SendEmailCommand({
    Source: "noreply@example.com",
    Destination: { ToAddresses: [to] },
    Message: { Subject: { Data: subject }, Body: { Text: { Data: `Body of ${subject}` } } },
  });
}

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//convene//test//EN",
  "METHOD:REQUEST",
  "BEGIN:VEVENT",
  "UID:webinar-42@example.com",
  "DTSTART:20261127T150000Z",
  "DTEND:20261127T160000Z",
  "SUMMARY:Webinar über Grüße",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

describe("local SES server: sending", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(50);
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it("stores a SendRawEmail message byte for byte, taking recipients from its headers", async () => {
    // prepare
    const raw = await compose({
      from: "Convene <noreply@example.com>",
      to: "Ana <ana@example.org>",
      cc: "bo@example.org",
      subject: "Einladung: Grüße zum Webinar ✓",
      text: "Hallo Ana, bis bald!",
      headers: {
        "List-Unsubscribe": "<https://example.com/unsubscribe?token=abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      attachments: [
        {
          filename: "webinar.ics",
          content: ICS,
          contentType: "text/calendar; charset=utf-8; method=REQUEST",
        },
      ],
    });

    // act
    const { MessageId } = await harness.client.send(new SendRawEmailCommand({ RawMessage: { Data: raw } }));

    // assess
    const stored = await readFile(join(harness.outboxDir, await fileOf(harness.outboxDir, MessageId)));
    expect(stored.equals(raw)).toBe(true);
    const notified = harness.sent.find((message) => message.messageId === MessageId);
    expect(notified?.destinations).toEqual(["ana@example.org", "bo@example.org"]);
    expect(notified?.source).toBe("noreply@example.com");
  });

  it("uses explicit SendRawEmail Destinations and Source as the envelope", async () => {
    // prepare
    const raw = await compose({
      from: "noreply@example.com",
      to: "ana@example.org",
      subject: "Envelope",
      text: "x",
    });

    // act
    const { MessageId } = await harness.client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        Source: "bounces@example.com",
        Destinations: ["carl@example.org"],
      }),
    );

    // assess
    const notified = harness.sent.find((message) => message.messageId === MessageId);
    expect(notified?.destinations).toEqual(["carl@example.org"]);
    expect(notified?.source).toBe("bounces@example.com");
  });

  it("composes a SendEmail message into a parseable .eml with subject, text, html and reply-to", async () => {
    // prepare
    const command = new SendEmailCommand({
      Source: "Convene <noreply@example.com>",
      Destination: { ToAddresses: ["ana@example.org"], BccAddresses: ["audit@example.org"] },
      ReplyToAddresses: ["team@example.com"],
      Message: {
        Subject: { Data: "Ihre Anmeldung – bestätigt" },
        Body: {
          Text: { Data: "Danke für Ihre Anmeldung." },
          Html: { Data: "<p>Danke für Ihre <b>Anmeldung</b>.</p>" },
        },
      },
    });

    // act
    const { MessageId } = await harness.client.send(command);

    // assess
    const mail = await simpleParser(
      await readFile(join(harness.outboxDir, await fileOf(harness.outboxDir, MessageId))),
    );
    expect(mail.subject).toBe("Ihre Anmeldung – bestätigt");
    expect(mail.text?.trim()).toBe("Danke für Ihre Anmeldung.");
    expect(mail.html).toContain("<p>Danke für Ihre <b>Anmeldung</b>.</p>");
    expect(mail.replyTo?.text).toBe("team@example.com");
    expect(mail.messageId).toContain(MessageId);
    const notified = harness.sent.find((message) => message.messageId === MessageId);
    expect(notified?.destinations).toEqual(["ana@example.org", "audit@example.org"]);
  });

  it("names files so that they sort in sending order", async () => {
    // prepare
    const subjects = Array.from({ length: 8 }, (_, index) => `Order ${index}`);

    // act
    const messageIds: (string | undefined)[] = [];
    for (const subject of subjects)
      messageIds.push((await harness.client.send(simpleEmail(subject))).MessageId);

    // assess
    const files = await outboxFiles(harness.outboxDir);
    const positions = await Promise.all(
      messageIds.map(async (id) => files.indexOf(await fileOf(harness.outboxDir, id))),
    );
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("answers an unknown action with an SES-shaped 400 error", async () => {
    // act
    const response = await fetch(harness.server.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=SendBouncyEmail&Version=2010-12-01",
    });

    // assess
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">');
    expect(body).toContain("<Code>InvalidAction</Code>");
    expect(body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it("answers malformed requests with SES-shaped 400 errors and keeps serving", async () => {
    // prepare
    const bodies = [
      "Version=2010-12-01",
      "Action=SendRawEmail",
      "Action=SendRawEmail&RawMessage.Data=%%%not-base64",
    ];

    // act
    const responses = await Promise.all(
      bodies.map((body) => fetch(harness.server.url, { method: "POST", body })),
    );

    // assess
    for (const response of responses) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("<ErrorResponse");
    }
    await expect(harness.client.send(simpleEmail("Still alive"))).resolves.toHaveProperty("MessageId");
  });
});

describe("local SES server: max send rate", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(2);
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it("reports the configured rate and the recipients sent in GetSendQuota", async () => {
    // prepare
    await harness.client.send(
      new SendEmailCommand({
        Source: "noreply@example.com",
        Destination: { ToAddresses: ["ana@example.org"], CcAddresses: ["bo@example.org"] },
        Message: { Subject: { Data: "Two recipients" }, Body: { Text: { Data: "Hi" } } },
      }),
    );

    // act
    const quota = await harness.client.send(new GetSendQuotaCommand({}));

    // assess
    expect(quota.MaxSendRate).toBe(2);
    expect(quota.SentLast24Hours).toBe(2);
    expect(quota.Max24HourSend).toBeGreaterThan(0);
  });

  it("throttles sending beyond the rate with SES's Throttling error, and recovers after a second", async () => {
    // prepare
    await sleep(1_100); // let the previous test's recipients leave the window
    await harness.client.send(simpleEmail("First in this second"));
    await harness.client.send(simpleEmail("Second in this second"));
    const filesBefore = await outboxFiles(harness.outboxDir);

    // act
    const refused = await harness.client.send(simpleEmail("Too fast")).catch((error: unknown) => error);
    await sleep(1_100);
    const later = await harness.client.send(simpleEmail("After waiting"));

    // assess
    expect(refused).toMatchObject({
      name: "Throttling",
      message: "Maximum sending rate exceeded.",
      $metadata: { httpStatusCode: 400 },
    });
    const filesAfter = await outboxFiles(harness.outboxDir);
    expect(filesAfter).toHaveLength(filesBefore.length + 1);
    expect(filesAfter.at(-1)).toContain(later.MessageId);
    const subjects = await Promise.all(
      filesAfter.map(
        async (file) => (await simpleParser(await readFile(join(harness.outboxDir, file)))).subject,
      ),
    );
    expect(subjects).not.toContain("Too fast");
  });
});

describe("local SES server: outbox directory", () => {
  it("names new files after existing ones when restarted on the same outbox", async () => {
    // prepare
    const outboxDir = await mkdtemp(join(tmpdir(), "ses-server-test-"));
    const soon = new Date(Date.now() + 1_000).toISOString().replace(/[-:.]/g, "");
    const existing = `${soon}-000007-0000000000000000-00000000-0000-0000-0000-000000000000-000000.eml`;
    await writeFile(join(outboxDir, existing), "Subject: earlier\r\n\r\nhi\r\n");
    const harness = await startHarness(10, { outboxDir });

    try {
      // act
      const { MessageId } = await harness.client.send(simpleEmail("After restart"));

      // assess
      expect(await outboxFiles(outboxDir)).toEqual([existing, await fileOf(outboxDir, MessageId)]);
    } finally {
      await stopHarness(harness);
    }
  });

  it("logs a failing onSent hook instead of failing the send", async () => {
    // prepare
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const harness = await startHarness(10, {
      onSent: () => {
        throw new Error("bounce simulation broke");
      },
    });

    try {
      // act
      const { MessageId } = await harness.client.send(simpleEmail("Hook fails"));

      // assess
      expect(await fileOf(harness.outboxDir, MessageId)).toMatch(/\.eml$/);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(MessageId ?? "?"), expect.any(Error));
    } finally {
      logged.mockRestore();
      await stopHarness(harness);
    }
  });
});

describe("local SES server: outbox pages", () => {
  let harness: Harness;
  let file: string;
  let raw: Buffer;
  const subject = `<Webinar> & "Q&A"`;
  const html = `<p class="intro">Tom &amp; Jerry say "hi"<script>alert(1)</script></p>`;
  const attachment = "Agenda:\n1. Welcome\n";

  beforeAll(async () => {
    harness = await startHarness(50);
    raw = await compose({
      from: "Convene <noreply@example.com>",
      to: "ana@example.org",
      replyTo: "team@example.com",
      subject,
      text: "Plain text part",
      html,
      attachments: [
        { filename: "agenda.txt", content: attachment, contentType: "text/plain; charset=utf-8" },
      ],
    });
    const { MessageId } = await harness.client.send(new SendRawEmailCommand({ RawMessage: { Data: raw } }));
    file = await fileOf(harness.outboxDir, MessageId);
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it("lists a sent message's subject and recipient, linking to its view page", async () => {
    // act
    const response = await fetch(harness.server.url);

    // assess
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toContain("&lt;Webinar&gt; &amp; &quot;Q&amp;A&quot;");
    expect(page).toContain("ana@example.org");
    expect(page).toContain(`href="/messages/${file}"`);
  });

  it("shows the message's headers, its HTML escaped inside a sandboxed iframe, text and attachment", async () => {
    // act
    const page = await (await fetch(`${harness.server.url}/messages/${file}`)).text();

    // assess
    expect(page).toContain(
      `<iframe sandbox srcdoc="&lt;p class=&quot;intro&quot;&gt;Tom &amp;amp; Jerry say &quot;hi&quot;&lt;script&gt;`,
    );
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("team@example.com");
    expect(page).toContain("Plain text part");
    expect(page).toContain(`<a href="/messages/${file}/attachments/0">agenda.txt</a>`);
  });

  it("downloads the attachment and the raw .eml", async () => {
    // act
    const attachmentResponse = await fetch(`${harness.server.url}/messages/${file}/attachments/0`);
    const rawResponse = await fetch(`${harness.server.url}/messages/${file}/raw`);

    // assess
    expect(attachmentResponse.status).toBe(200);
    expect(attachmentResponse.headers.get("content-disposition")).toContain('filename="agenda.txt"');
    expect(await attachmentResponse.text()).toBe(attachment);
    expect(Buffer.from(await rawResponse.arrayBuffer()).equals(raw)).toBe(true);
  });

  it("answers 404 for names that are not plain outbox names", async () => {
    // prepare
    const paths = [
      "/messages/..%2F..%2Fpackage.json",
      "/messages/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      `/messages/..%2F${file}`,
      `/messages/${file.replace(".eml", ".txt")}`,
      `/messages/${file}/attachments/1`,
      `/messages/${file}/attachments/-1`,
      "/messages/%E0%A4%A",
    ];

    // act
    const statuses = await Promise.all(
      paths.map(async (path) => (await fetch(harness.server.url + path)).status),
    );

    // assess
    expect(statuses).toEqual(paths.map(() => 404));
  });
});
