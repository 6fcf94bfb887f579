import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConfigurationSetDoesNotExistException,
  GetSendQuotaCommand,
  MessageRejected,
  SESClient,
  SendEmailCommand,
  SendRawEmailCommand,
} from "@aws-sdk/client-ses";
import {
  BadRequestException,
  GetAccountCommand,
  MessageRejected as MessageRejectedV2,
  NotFoundException,
  SESv2Client,
  SendEmailCommand as SendEmailV2Command,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SentMessage, type SesServer, senderIdentities, startSesServer } from "#infra/local/ses-server";

/**
 * The local SES answers as SES does, through the three clients Convene's code and its users reach it with:
 * the SDK's SES v1 client, its SES v2 client, and nodemailer's SES transport (which sends through v2).
 * The server is set up as the local stack sets it up: the sender and its domain verified, one
 * configuration set. Error codes and messages are SES's (see the README for where they come from).
 */

const sender = "webinars@convene.test";
const configurationSet = "convene-test";
const region = "eu-west-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const MB = 1024 * 1024;

interface Harness {
  server: SesServer;
  outboxDir: string;
  sent: SentMessage[];
  v1: SESClient;
  v2: SESv2Client;
  mailer: nodemailer.Transporter;
}

async function startHarness(
  options: { sandbox?: boolean; max24HourSend?: number; maxSendRate?: number } = {},
) {
  const outboxDir = await mkdtemp(join(tmpdir(), "ses-aws-rules-"));
  const sent: SentMessage[] = [];
  const server = await startSesServer({
    port: 0,
    outboxDir,
    maxSendRate: options.maxSendRate ?? 1000,
    verifiedIdentities: senderIdentities(sender),
    configurationSets: [configurationSet],
    ...options,
    onSent: (message) => void sent.push(message),
  });
  // maxAttempts 1: the SDK's own retries must not hide a refusal.
  const clientOptions = { endpoint: server.url, region, credentials, maxAttempts: 1 };
  const v2 = new SESv2Client(clientOptions);
  const mailer = nodemailer.createTransport({ SES: { sesClient: v2, SendEmailCommand: SendEmailV2Command } });
  return { server, outboxDir, sent, v1: new SESClient(clientOptions), v2, mailer } satisfies Harness;
}

async function stopHarness(harness: Harness): Promise<void> {
  harness.v1.destroy();
  harness.v2.destroy();
  harness.mailer.close();
  await harness.server.close();
  await rm(harness.outboxDir, { recursive: true, force: true });
}

function compose(mail: Mail.Options): Promise<Buffer> {
  return new MailComposer({ from: `Convene <${sender}>`, subject: "Webinar", text: "Hello", ...mail })
    .compile()
    .build();
}

/** A message of about `bytes` bytes (MIME, with its attachment base64-encoded). */
function messageOfSize(bytes: number, to = "ana@example.org"): Promise<Buffer> {
  const attachment = Buffer.alloc(Math.floor(((bytes - 1024) * 3) / 4), 7);
  return compose({ to, attachments: [{ filename: "recording.bin", content: attachment }] });
}

const recipients = (count: number) => Array.from({ length: count }, (_, index) => `r${index}@example.org`);

async function refusal(sending: Promise<unknown>): Promise<unknown> {
  return sending.then(
    () => expect.fail("the local SES accepted what SES refuses"),
    (error: unknown) => error,
  );
}

/** One way to send, per client: the same message through v1, v2 and nodemailer. */
interface Channel {
  name: string;
  send(
    harness: Harness,
    mail: { from?: string; to: string[]; raw?: Buffer; configurationSet?: string },
  ): Promise<string | undefined>;
  /** The exception SES raises, per refusal, through this client. */
  errors: { invalid: unknown; rejected: unknown; noConfigurationSet: unknown };
}

const channels: Channel[] = [
  {
    name: "SES v1 (@aws-sdk/client-ses)",
    async send({ v1 }, mail) {
      const raw = mail.raw ?? (await compose({ from: mail.from ?? sender, to: mail.to }));
      const answer = await v1.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Destinations: mail.to,
          ...(mail.from ? { Source: mail.from } : {}),
          ...(mail.configurationSet ? { ConfigurationSetName: mail.configurationSet } : {}),
        }),
      );
      return answer.MessageId;
    },
    errors: {
      invalid: { name: "InvalidParameterValue" },
      rejected: MessageRejected,
      noConfigurationSet: ConfigurationSetDoesNotExistException,
    },
  },
  {
    name: "SES v2 (@aws-sdk/client-sesv2)",
    async send({ v2 }, mail) {
      const raw = mail.raw ?? (await compose({ from: mail.from ?? sender, to: mail.to }));
      const answer = await v2.send(
        new SendEmailV2Command({
          Content: { Raw: { Data: raw } },
          Destination: { ToAddresses: mail.to },
          ...(mail.from ? { FromEmailAddress: mail.from } : {}),
          ...(mail.configurationSet ? { ConfigurationSetName: mail.configurationSet } : {}),
        }),
      );
      return answer.MessageId;
    },
    errors: {
      invalid: BadRequestException,
      rejected: MessageRejectedV2,
      noConfigurationSet: NotFoundException,
    },
  },
  {
    name: "nodemailer's SES transport (nodemailer 7, SES v2)",
    async send({ mailer }, mail) {
      const info = await mailer.sendMail({
        ...(mail.raw ? { raw: mail.raw, envelope: { from: mail.from ?? sender, to: mail.to } } : {}),
        from: mail.from ?? sender,
        to: mail.to,
        subject: "Webinar",
        text: "Hello",
        ...(mail.configurationSet ? { ses: { ConfigurationSetName: mail.configurationSet } } : {}),
      });
      return info.response;
    },
    errors: {
      invalid: BadRequestException,
      rejected: MessageRejectedV2,
      noConfigurationSet: NotFoundException,
    },
  },
];

function expectError(error: unknown, expected: unknown, message: string | RegExp): void {
  if (typeof expected === "function") expect(error).toBeInstanceOf(expected);
  else expect(error).toMatchObject(expected as object);
  expect((error as Error).message).toMatch(message);
}

describe.each(channels)("local SES through $name", (channel) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it("refuses an invalid address with SES's InvalidParameterValue and message", async () => {
    const error = await refusal(channel.send(harness, { to: ["ana@example.org", "sender@"] }));

    expectError(error, channel.errors.invalid, "Missing domain");
    expect(harness.sent).toHaveLength(0);
  });

  it("refuses 51 recipients as invalid, not as a retryable throttle", async () => {
    const error = await refusal(channel.send(harness, { to: recipients(51) }));

    expectError(error, channel.errors.invalid, "Recipient count exceeds 50.");
  });

  it("refuses an unverified sender with MessageRejected, naming it and the region", async () => {
    const error = await refusal(
      channel.send(harness, { from: "someone@elsewhere.example", to: ["ana@example.org"] }),
    );

    expectError(
      error,
      channel.errors.rejected,
      "Email address is not verified. The following identities failed the check in region EU-WEST-1: someone@elsewhere.example",
    );
  });

  it("refuses an unknown configuration set and accepts the one that exists", async () => {
    const error = await refusal(
      channel.send(harness, { to: ["ana@example.org"], configurationSet: "no-such-set" }),
    );
    const accepted = await channel.send(harness, { to: ["ana@example.org"], configurationSet });

    expectError(error, channel.errors.noConfigurationSet, "Configuration set <no-such-set> does not exist.");
    expect(accepted).toBeTruthy();
    expect(harness.sent.at(-1)?.configurationSet).toBe(configurationSet);
  });

  it("accepts a 9 MB message and stores it byte for byte", async () => {
    const raw = await messageOfSize(9 * MB);

    await channel.send(harness, { to: ["ana@example.org"], raw });

    const stored = harness.sent.at(-1);
    expect(stored?.raw.length).toBeGreaterThan(9 * MB - 2048);
    expect((await readFile(stored?.file ?? "")).equals(raw)).toBe(true);
  });
});

describe("local SES: the message size limit of each API, measured on the message", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it("refuses 10.5 MB on v1 with SES's error (not a 413 or a broken connection)", async () => {
    const raw = await messageOfSize(10.5 * MB);

    const error = await refusal(harness.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw } })));

    expect(error).toMatchObject({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toBe(
      `Message length is more than 10485760 bytes long: '${raw.length}'.`,
    );
  });

  it("accepts 10.5 MB on v2, whose limit is 40 MB, and refuses more", async () => {
    const accepted = await messageOfSize(10.5 * MB);
    const tooLarge = await messageOfSize(40.2 * MB);

    const answer = await harness.v2.send(new SendEmailV2Command({ Content: { Raw: { Data: accepted } } }));
    const error = await refusal(
      harness.v2.send(new SendEmailV2Command({ Content: { Raw: { Data: tooLarge } } })),
    );

    expect(answer.MessageId).toBeTruthy();
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as Error).message).toBe(
      `Message length is more than 41943040 bytes long: '${tooLarge.length}'.`,
    );
  });
});

describe("local SES: addresses as SES checks them", () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  function sendTo(to: string, source = sender) {
    return harness.v1.send(
      new SendEmailCommand({
        Source: source,
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: "Webinar" }, Body: { Text: { Data: "Hello" } } },
      }),
    );
  }

  it.each([
    ["not-an-email", "Missing final '@domain'"],
    ["sender@", "Missing domain"],
    ["@example.org", "Missing local name"],
    ["bad address@example.com", "Local address contains control or whitespace"],
    ["jörg@example.org", "Local address contains control or whitespace"],
    ["ana@exämple.org", "Domain contains illegal character"],
    ["ana@example..org", "Domain contains dot-dot"],
    ["Karen, Chan <karen@example.org>", "Illegal address"],
  ])("refuses %s: %s", async (to, message) => {
    const error = await refusal(sendTo(to));

    expect(error).toMatchObject({ name: "InvalidParameterValue", message });
  });

  it("accepts display names, quoted local parts and Punycode domains, delivering to the address itself", async () => {
    const addresses = ['"Ana Benali" <ana@example.org>', '"ana b"@example.org', "ana@xn--exmple-cua.org"];

    for (const address of addresses) await sendTo(address);

    expect(harness.sent.map((message) => message.destinations)).toEqual([
      ["ana@example.org"],
      ['"ana b"@example.org'],
      ["ana@xn--exmple-cua.org"],
    ]);
  });

  it("refuses a non-ASCII display name that is not an encoded-word, and accepts it encoded", async () => {
    const error = await refusal(sendTo("ana@example.org", `Zoë <${sender}>`));
    const accepted = await sendTo("ana@example.org", `=?UTF-8?Q?Zo=C3=AB?= <${sender}>`);

    expect(error).toMatchObject({ name: "InvalidParameterValue" });
    expect(accepted.MessageId).toBeTruthy();
  });

  it("checks the address headers of a raw message, never rewriting them", async () => {
    const raw = Buffer.from(`From: ${sender}\r\nTo: bad address@example.com\r\nSubject: x\r\n\r\nhi\r\n`);

    const error = await refusal(harness.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw } })));

    expect(error).toMatchObject({
      name: "InvalidParameterValue",
      message: "Local address contains control or whitespace",
    });
  });

  it("refuses message tags SES refuses", async () => {
    const error = await refusal(
      harness.v1.send(
        new SendEmailCommand({
          Source: sender,
          Destination: { ToAddresses: ["ana@example.org"] },
          Message: { Subject: { Data: "x" }, Body: { Text: { Data: "y" } } },
          Tags: [{ Name: "campaign", Value: "spring sale!" }],
        }),
      ),
    );

    expect(error).toMatchObject({
      name: "InvalidParameterValue",
      message: expect.stringContaining("Invalid tag value"),
    });
  });
});

describe("local SES: sandbox and quotas", () => {
  it("in the sandbox, refuses unverified recipients but lets the mailbox simulator through", async () => {
    const harness = await startHarness({ sandbox: true });
    try {
      const raw = await compose({ to: "ana@example.org" });
      const error = await refusal(
        harness.v1.send(
          new SendRawEmailCommand({
            RawMessage: { Data: raw },
            Destinations: ["ana@example.org", "bo@example.org"],
          }),
        ),
      );
      const simulated = await harness.v1.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Destinations: ["success@simulator.amazonses.com"],
        }),
      );
      const quota = await harness.v1.send(new GetSendQuotaCommand({}));

      expect(error).toBeInstanceOf(MessageRejected);
      expect((error as Error).message).toBe(
        "Email address is not verified. The following identities failed the check in region EU-WEST-1: ana@example.org, bo@example.org",
      );
      expect(simulated.MessageId).toBeTruthy();
      expect(quota.Max24HourSend).toBe(200);
    } finally {
      await stopHarness(harness);
    }
  });

  it("refuses past the 24-hour quota with Throttling 'Daily message quota exceeded.', as GetSendQuota and GetAccount show", async () => {
    const harness = await startHarness({ max24HourSend: 3 });
    try {
      await channels[0]?.send(harness, { to: recipients(3) });

      const v1Error = await refusal(
        channels[0]?.send(harness, { to: ["ana@example.org"] }) ?? Promise.resolve(),
      );
      const v2Error = await refusal(
        channels[1]?.send(harness, { to: ["ana@example.org"] }) ?? Promise.resolve(),
      );
      const quota = await harness.v1.send(new GetSendQuotaCommand({}));
      const account = await harness.v2.send(new GetAccountCommand({}));

      expect(v1Error).toMatchObject({ name: "Throttling", message: "Daily message quota exceeded." });
      expect(v2Error).toBeInstanceOf(TooManyRequestsException);
      expect(quota).toMatchObject({ Max24HourSend: 3, SentLast24Hours: 3 });
      expect(account.SendQuota).toMatchObject({ Max24HourSend: 3, SentLast24Hours: 3 });
    } finally {
      await stopHarness(harness);
    }
  });

  it("lets one message with more recipients than the max rate go out when nothing else was sent that second", async () => {
    const harness = await startHarness({ maxSendRate: 2 });
    try {
      const answer = await channels[0]?.send(harness, { to: recipients(5) });
      const next = await refusal(
        channels[0]?.send(harness, { to: ["ana@example.org"] }) ?? Promise.resolve(),
      );

      expect(answer).toBeTruthy();
      expect(next).toMatchObject({ name: "Throttling", message: "Maximum sending rate exceeded." });
    } finally {
      await stopHarness(harness);
    }
  });
});

describe("local SES of the local stack (npm start's settings)", () => {
  // The global setup's stack set these for the workers, as npm start sets them for the handlers.
  const client = new SESClient({ region, credentials, maxAttempts: 1 });
  const stackSender = process.env.SENDER_EMAIL ?? "";
  const stackSet = process.env.SES_CONFIGURATION_SET ?? "";

  afterAll(() => client.destroy());

  function sendFrom(source: string, set = stackSet) {
    return client.send(
      new SendEmailCommand({
        Source: source,
        Destination: { ToAddresses: ["ana@example.org"] },
        Message: { Subject: { Data: "Webinar" }, Body: { Text: { Data: "Hello" } } },
        ConfigurationSetName: set,
      }),
    );
  }

  it("counts the configured sender and its domain as verified, and has the configured set", async () => {
    const domain = stackSender.slice(stackSender.indexOf("@") + 1);

    const fromSender = await sendFrom(stackSender);
    const fromDomain = await sendFrom(`organisers@${domain}`);

    expect(fromSender.MessageId).toBeTruthy();
    expect(fromDomain.MessageId).toBeTruthy();
  });

  it("refuses other senders and unknown configuration sets", async () => {
    const unverified = await refusal(sendFrom("someone@elsewhere.example"));
    const unknownSet = await refusal(sendFrom(stackSender, "no-such-set"));

    expect(unverified).toBeInstanceOf(MessageRejected);
    expect(unknownSet).toBeInstanceOf(ConfigurationSetDoesNotExistException);
  });
});
