/**
 * Measures the mailing figures of issues 6 and 13: 2,000 recipients (by default) at an SES max
 * send rate of 100/s, all sent, none twice, none missing, at ≥ 0.95 of the max send rate
 * (recipients after the first, divided by the seconds from the first to the last, over the rate).
 *
 *   npx tsx scripts/measure-mailing.ts [recipients] [max send rate]
 *
 * It starts its own local stack (DynamoDB Local in memory, free ports), registers everyone through
 * the API and waits for their confirmations, then creates a mailing to all and sends it, times
 * the mailing's messages in the outbox (first to last), checks that each recipient got exactly
 * one, prints the numbers and stops the stack. It exits with 1 if a check fails.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalStack } from "../infra/local/local-stack.ts";
import { reportFigures } from "./figures.ts";
import { cpuPerMail, gapHistogram, profileSending, slotsSince } from "./send-gaps.ts";

const recipients = Number(process.argv[2] ?? 2000);
/** Issue 13: a mailing goes out at ≥ 0.95 of the SES max send rate. */
const rateGoal = 0.95;
const maxSendRate = Number(process.argv[3] ?? 100);
const adminToken = "measure-mailing";
const eventId = "measure-mailing";
const subject = "Measured mailing";

// One client registers everyone: the per-IP limit of registrations would stop it at 120.
process.env.CONVENE_REGISTRATION_RATE_LIMIT = "0";
const dataDir = await mkdtemp(join(tmpdir(), "convene-measure-"));
const outboxDir = join(dataDir, "outbox");
const logLines: string[] = [];
const stack = await startLocalStack({
  dataDir,
  ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
  sesMaxSendRate: maxSendRate,
  adminToken,
  inMemoryDynamo: true,
  seed: false,
  log: (line) => logLines.push(line),
});
// The stack's functions run in this process: their mailer's slot counts, imported once the stack
// has set the environment the mailer reads at import.
const { slotCounts } = await import("../shared/mail/mailer.ts");

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The outbox files, with their time of sending (from the sortable name) and recipient. */
async function outbox() {
  const files = (await readdir(outboxDir).catch(() => [] as string[]))
    .filter((file) => file.endsWith(".eml"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const head = (await readFile(join(outboxDir, file), "utf8")).slice(0, 4000);
      const stamp = /^(\d{8})T(\d{6})(\d{3})Z/.exec(file);
      const time = stamp
        ? Date.parse(
            `${stamp[1]?.replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3")}T${stamp[2]?.replace(/(\d{2})(\d{2})(\d{2})/, "$1:$2:$3")}.${stamp[3]}Z`,
          )
        : 0;
      return { file, time, to: /^To: (.*)$/m.exec(head)?.[1]?.trim() ?? "", mailing: head.includes(subject) };
    }),
  );
}

const email = (index: number) => `recipient${index}@example.org`;
let exitCode = 0;
try {
  const startsAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  await api("PUT", `/admin/events/${eventId}`, {
    title: { en: "Mailing measurement" },
    description: { en: "Measurement" },
    organiser: { name: "Convene", email: "organisers@example.org" },
    sessions: [
      {
        id: "en",
        language: "en",
        startsAt,
        durationMinutes: 90,
        timezone: "UTC",
        joinUrl: "https://example.org/j",
      },
    ],
    reminders: [],
  });
  for (let start = 0; start < recipients; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, recipients - start) }, (_, index) =>
        api("POST", `/events/${eventId}/registrations`, {
          sessionId: "en",
          email: email(start + index),
          firstName: "Test",
          lastName: `Person ${start + index}`,
          organisation: "City",
          organisationType: "local-government",
          country: "FR",
          consent: true,
        }),
      ),
    );
  }
  while ((await outbox()).length < recipients) await sleep(500);

  const { mailingId } = await api("POST", `/admin/events/${eventId}/mailings`, {
    name: "Measurement",
    subject: { en: subject },
    body: { en: "Hello {{firstName}}" },
  });
  const slotsBefore = { ...slotCounts };
  const loopBefore = performance.eventLoopUtilization();
  const stopProfile = await profileSending();
  const cpuUsed = cpuPerMail();
  await api("POST", `/admin/events/${eventId}/mailings/${mailingId}/send`);
  let status = await api("GET", `/admin/events/${eventId}/mailings/${mailingId}`);
  while (status.status === "sending") {
    await sleep(250);
    status = await api("GET", `/admin/events/${eventId}/mailings/${mailingId}`);
  }
  const cpuReport = cpuUsed(recipients);
  await stopProfile();

  const sent = (await outbox()).filter((mail) => mail.mailing);
  const perRecipient = new Map<string, number>();
  for (const mail of sent) perRecipient.set(mail.to, (perRecipient.get(mail.to) ?? 0) + 1);
  const twice = [...perRecipient.values()].filter((count) => count > 1).length;
  const missing = recipients - perRecipient.size;
  const seconds = sent.length > 1 ? ((sent.at(-1)?.time ?? 0) - (sent[0]?.time ?? 0)) / 1000 : 0;
  const deadLetters = logLines.filter((line) => line.includes("dead letter")).length;
  console.log(
    `${sent.length} mails to ${recipients} recipients at ${maxSendRate}/s: ${seconds.toFixed(1)} s of sending ` +
      `(first to last), ${twice} twice, ${missing} missing, ${deadLetters} dead letters; mailing says ` +
      `${status.status}, ${status.sent} sent, ${status.skipped} skipped, ${status.failed} failed`,
  );
  console.log(slotsSince(slotsBefore, slotCounts, loopBefore));
  console.log(cpuReport);
  console.log(
    gapHistogram(
      sent.map((mail) => mail.time),
      maxSendRate,
    ),
  );
  const rateShare = (sent.length - 1) / seconds / maxSendRate;
  console.log(`sending rate / SES max send rate: ${rateShare.toFixed(3)}`);
  reportFigures([
    {
      figure: `mailing: sending rate / SES max send rate (${recipients} at ${maxSendRate}/s)`,
      value: rateShare.toFixed(3),
      goal: `≥ ${rateGoal}`,
      pass: rateShare >= rateGoal,
    },
    {
      figure: "mailing: recipients mailed twice / missing",
      value: `${twice} / ${missing}`,
      goal: "0 / 0",
      pass: twice === 0 && missing === 0,
    },
  ]);
  if (twice > 0 || missing > 0 || deadLetters > 0 || status.sent !== recipients || rateShare < rateGoal)
    exitCode = 1;
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
