/**
 * Measures the reminder figures of issues 4 and 13: 2,000 confirmed registrants (by default), SES
 * max send rate 100/s: all go out, none twice, none missing, at ≥ 0.95 of the max send rate
 * (recipients after the first, divided by the seconds from the first to the last, over the rate).
 *
 *   npx tsx scripts/measure-reminders.ts [registrants] [max send rate]
 *
 * It starts its own local stack (DynamoDB Local in memory, free ports, schedule every second),
 * registers everyone through the API, waits for their confirmations, then sets the event's one
 * reminder to an offset that makes it due a few seconds later: the confirmations do not compete
 * with the reminders for the send rate, and the registrations are all made before the due time.
 * The session itself stays where it is: moving it would also mail everyone the change (issue 15),
 * 2,000 update mails sharing the send rate with the reminders, and the figure would no longer say
 * how fast reminders go out. It then times the reminders in the outbox (first to last), checks
 * that each registrant got exactly one and nobody any other mail, prints the numbers and stops
 * the stack. It exits with 1 if a check fails.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { simpleParser } from "mailparser";
import { startLocalStack } from "../infra/local/local-stack.ts";
import { reportFigures } from "./figures.ts";
import { cpuPerMail, gapHistogram, profileSending, slotsSince } from "./send-gaps.ts";

const registrants = Number(process.argv[2] ?? 2000);
const maxSendRate = Number(process.argv[3] ?? 100);
/** Issue 13: reminders go out at ≥ 0.95 of the SES max send rate. */
const rateGoal = 0.95;
const registrationConcurrency = 20;
const adminToken = "measure-reminders";
const eventId = "measure-reminders";
const hourMs = 60 * 60 * 1000;

// One client registers everyone: the per-IP limit of registrations would stop it at 120.
process.env.CONVENE_REGISTRATION_RATE_LIMIT = "0";
const dataDir = await mkdtemp(join(tmpdir(), "convene-measure-"));
const outboxDir = join(dataDir, "outbox");
const busLog: string[] = [];
const stack = await startLocalStack({
  dataDir,
  ports: { http: 0, dynamo: 0, ses: 0, bus: 0 },
  sesMaxSendRate: maxSendRate,
  scheduleSeconds: 1,
  adminToken,
  inMemoryDynamo: true,
  seed: false,
  log: (line) => busLog.push(line),
});
// The stack's functions run in this process: their mailer's slot counts, imported once the stack
// has set the environment the mailer reads at import.
const { slotCounts } = await import("../shared/mail/mailer.ts");

async function api(method: string, path: string, body?: unknown, admin = false) {
  const response = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(admin ? { authorization: `Bearer ${adminToken}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const event = (startsAt: number, reminder = "PT1H") => ({
  title: { fr: "Mesure des rappels", en: "Reminder measurement" },
  description: { fr: "Mesure", en: "Measurement" },
  organiser: { name: "Convene", email: "organisers@example.org" },
  sessions: [
    {
      id: "main",
      language: "en",
      startsAt: new Date(startsAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      durationMinutes: 90,
      timezone: "Europe/Paris",
      joinUrl: "https://webinar.example.org/j/measure",
    },
  ],
  reminders: [reminder],
});

const emailOf = (index: number) => `person-${index}@example.org`;

async function outboxFiles(): Promise<string[]> {
  return (await readdir(outboxDir).catch(() => [] as string[]))
    .filter((file) => file.endsWith(".eml"))
    .sort();
}

/**
 * Waits until the outbox holds `count` messages. The stack runs in this process: the outbox (up to
 * 4,000 names) is counted twice a second, not sorted, so that watching it takes next to nothing
 * from the sends it measures (their times come from the names, whenever they are read).
 */
async function waitForOutbox(count: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const counted = async () =>
    (await readdir(outboxDir).catch(() => [] as string[])).filter((file) => file.endsWith(".eml")).length;
  while ((await counted()) < count && Date.now() <= deadline) await sleep(500);
  return outboxFiles();
}

/** The outbox names each message by the time the local SES accepted it: `20271127T093015123Z-…`. */
function sentAt(file: string): number {
  const s = file.slice(0, 19);
  return Date.parse(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`,
  );
}

const problems: string[] = [];
try {
  // Whole seconds, as the event stores its start: the reminder's offset below is exact.
  const startsAt = Math.floor((Date.now() + 30 * 24 * hourMs) / 1000) * 1000;
  await api("PUT", `/admin/events/${eventId}`, event(startsAt), true);

  const registeringStarted = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: registrationConcurrency }, async () => {
      while (next < registrants) {
        const index = next++;
        await api("POST", `/events/${eventId}/registrations`, {
          sessionId: "main",
          email: emailOf(index),
          firstName: `Person ${index}`,
          lastName: "Measured",
          organisation: "City",
          organisationType: "local-government",
          country: "FR",
          consent: true,
          language: index % 2 === 0 ? "en" : "fr",
        });
      }
    }),
  );
  const registeredMs = Date.now() - registeringStarted;
  // As long as a loaded machine may need: a confirmation still to come would count as a reminder
  // here, and the wait for the reminders below would end before the last of them went out.
  const confirmations = new Set(await waitForOutbox(registrants, 600_000));
  if (confirmations.size !== registrants)
    problems.push(`${confirmations.size} confirmations for ${registrants}`);

  const slotsBefore = { ...slotCounts };
  const loopBefore = performance.eventLoopUtilization();
  const stopProfile = await profileSending();
  const cpuUsed = cpuPerMail();
  // The reminder's offset set so that it is due in 3 seconds; the session does not move.
  const dueAt = Math.floor(Date.now() / 1000) * 1000 + 3_000;
  await api("PUT", `/admin/events/${eventId}`, event(startsAt, `PT${(startsAt - dueAt) / 1000}S`), true);
  const [reminderRow] = (await api("GET", `/admin/events/${eventId}/reminders`, undefined, true))
    .reminders as {
    dueAt: string;
  }[];
  // Waits as long as a loaded machine may need: a reminder merely late would count as missing.
  const files = await waitForOutbox(confirmations.size + registrants, 600_000);
  const slotReport = slotsSince(slotsBefore, slotCounts, loopBefore);
  const cpuReport = cpuUsed(registrants);
  await stopProfile();
  await sleep(2_000); // any duplicate would arrive now
  const reminderFiles: string[] = [];
  for (const file of (await outboxFiles()).filter((name) => !confirmations.has(name))) {
    const subject = (await simpleParser(await readFile(join(outboxDir, file)))).subject ?? "";
    if (/^(Reminder|Rappel)\b/.test(subject)) reminderFiles.push(file);
    else problems.push(`${file} is not a reminder: ${subject}`);
  }

  const recipients = new Map<string, number>();
  for (const file of reminderFiles) {
    const mail = await simpleParser(await readFile(join(outboxDir, file)));
    for (const address of [mail.to ?? []].flat().flatMap((to) => to.value)) {
      recipients.set(address.address ?? "", (recipients.get(address.address ?? "") ?? 0) + 1);
    }
  }
  const twice = [...recipients].filter(([, count]) => count > 1).length;
  const missing = Array.from({ length: registrants }, (_, index) => emailOf(index)).filter(
    (email) => !recipients.has(email),
  ).length;
  const [status] = (await api("GET", `/admin/events/${eventId}/reminders`, undefined, true)).reminders as {
    status: string;
    sent: number;
  }[];
  const deadLetters = await readdir(join(dataDir, "dead-letters")).catch(() => []);

  const times = reminderFiles.map(sentAt);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const due = Date.parse(reminderRow?.dueAt ?? "");
  console.log(`registrants: ${registrants} (registered in ${(registeredMs / 1000).toFixed(1)} s)`);
  console.log(
    `SES max send rate: ${maxSendRate}/s, ideal sending time ${((registrants - 1) / maxSendRate).toFixed(1)} s`,
  );
  console.log(`reminders in the outbox: ${reminderFiles.length} (sent twice: ${twice}, missing: ${missing})`);
  console.log(`sending time, first to last reminder: ${((last - first) / 1000).toFixed(2)} s`);
  console.log(`from due time to first reminder: ${((first - due) / 1000).toFixed(2)} s (tick every 1 s)`);
  console.log(`from due time to last reminder: ${((last - due) / 1000).toFixed(2)} s`);
  console.log(
    `reminder status: ${status?.status}, sent ${status?.sent}; dead letters: ${deadLetters.length}`,
  );

  console.log(slotReport);
  console.log(cpuReport);
  console.log(gapHistogram(times, maxSendRate));
  const rateShare = (reminderFiles.length - 1) / ((last - first) / 1000) / maxSendRate;
  console.log(`sending rate / SES max send rate: ${rateShare.toFixed(3)}`);
  reportFigures([
    {
      figure: `reminders: sending rate / SES max send rate (${registrants} at ${maxSendRate}/s)`,
      value: rateShare.toFixed(3),
      goal: `≥ ${rateGoal}`,
      pass: rateShare >= rateGoal,
    },
    {
      figure: "reminders: recipients mailed twice / missing",
      value: `${twice} / ${missing}`,
      goal: "0 / 0",
      pass: twice === 0 && missing === 0,
    },
  ]);
  if (rateShare < rateGoal) problems.push(`sent at ${rateShare.toFixed(3)} of the max send rate`);
  if (files.length < confirmations.size + registrants) problems.push("timed out waiting for the reminders");
  if (twice > 0 || missing > 0) problems.push(`${twice} registrants reminded twice, ${missing} missing`);
  if (status?.status !== "sent" || status.sent !== registrants)
    problems.push(`reminder ended ${JSON.stringify(status)}`);
  if (deadLetters.length > 0) problems.push(`${deadLetters.length} dead letters: ${busLog.join("\n")}`);
} catch (error) {
  problems.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`FAILED:\n${problems.join("\n")}`);
  process.exitCode = 1;
}
