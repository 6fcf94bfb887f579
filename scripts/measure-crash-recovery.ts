/**
 * Measures recovery from crashes (issue 11): `npm start` on a fresh data dir, `recipients`
 * registrants (confirmations) and a mailing to all of them, while the whole process group is
 * killed with `kill -9` at `kills` random moments and started again on the same data dir. Prints,
 * over the confirmations and the mailing: lost (recipients with no mail), duplicated (with more
 * than one), the seconds from the last restart until the mailing is `sent` and every mail is out,
 * the mailing's counts against the outbox, and the dead letters left.
 *
 *   npx tsx scripts/measure-crash-recovery.ts [kills] [recipients] [--rate=5] [--sigterm]
 *     [--scenario=mailing|reminder|registrations]
 *
 * `--rate` is the local SES max send rate; `--sigterm` stops the stack with SIGTERM (Ctrl-C)
 * instead of the last `kill -9`, as someone stopping it during the mailing.
 * `--scenario`: `mailing` (the default, above); `reminder`: the registrants confirmed first, then
 * a reminder made due a few seconds later (its offset set as `measure-reminders.ts` does), the
 * kills during the reminder; `registrations`: the kills during the confirmations of the
 * registrations (each 201 must get exactly one).
 * It exits with 1 if a mail was lost or duplicated, the counts differ from the outbox, a dead
 * letter was left, or the mails took more than 2 minutes after the last restart.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import * as z from "zod";
import { freePort } from "../infra/local/ports.ts";
import { mailsTo } from "../test/support/outbox.ts";
import { registrant, sampleEvent } from "../test/support/sample-event.ts";

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}`));
const kills = Number(positional[0] ?? 10);
const recipients = Number(positional[1] ?? 100);
const sesRate = flag("rate")?.split("=")[1] ?? "5";
const sigterm = flag("sigterm") !== undefined;
const scenario = z
  .enum(["mailing", "reminder", "registrations"])
  .parse(flag("scenario")?.split("=")[1] ?? "mailing");
const adminToken = "measure-crash-recovery-token";
const dataDir = await mkdtemp(join(tmpdir(), "convene-crash-measure-"));
const outbox = join(dataDir, "outbox");
const ports = {
  http: await freePort(),
  dynamo: await freePort(),
  ses: await freePort(),
  bus: await freePort(),
};
const api = `http://127.0.0.1:${ports.http}`;

let starts = 0;
function start(): Promise<ChildProcess> {
  const logFile = createWriteStream(join(dataDir, `start-${++starts}.log`));
  const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
    env: {
      ...process.env,
      CONVENE_DATA_DIR: dataDir,
      CONVENE_PORT: String(ports.http),
      CONVENE_DYNAMODB_PORT: String(ports.dynamo),
      CONVENE_SES_PORT: String(ports.ses),
      CONVENE_BUS_PORT: String(ports.bus),
      CONVENE_ADMIN_TOKEN: adminToken,
      CONVENE_SES_MAX_SEND_RATE: sesRate,
      CONVENE_REGISTRATION_RATE_LIMIT: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      logFile.write(chunk);
      if (output.includes("Press Ctrl-C to stop")) return;
      output += chunk;
      if (output.includes("Press Ctrl-C to stop")) resolve(child);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

async function kill(child: ChildProcess, signal: "SIGKILL" | "SIGTERM" = "SIGKILL") {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  // SIGTERM as Ctrl-C sends it to the foreground group; the stack stops Java itself.
  process.kill(signal === "SIGKILL" ? -child.pid : child.pid, signal);
  await exited;
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The time in an outbox file's name (`20261129T141502123Z-…`), as `14:15:02.123`. */
const sentAt = (file: string) => file.replace(/^(\d{8})T(\d\d)(\d\d)(\d\d)(\d{3})Z.*$/, "$2:$3:$4.$5");

const eventId = "crash-measure";
const people = Array.from({ length: recipients }, () => registrant());
/** The mail each scenario is about, beside the confirmations: the mailing's or the reminder's. */
const isSecondMail = (subject: string) =>
  scenario === "reminder" ? /^(Reminder|Rappel)\b/.test(subject) : /panne|crash/.test(subject);
const emlCount = async () =>
  (await readdir(outbox).catch(() => [] as string[])).filter((file) => file.endsWith(".eml")).length;
/** Waits until `done`, polling; throws after 5 minutes. */
async function until(what: string, done: () => Promise<boolean>, since = Date.now()) {
  while (!(await done())) {
    if (Date.now() - since > 300_000) throw new Error(`${what}: not within 5 minutes`);
    await sleep(250);
  }
}
// A whole second, as the event stores its start (the reminder's offset is then exact); both
// sessions at once, so that every registrant's reminder falls due together.
const startsAt = new Date(Math.floor((Date.now() + 30 * 24 * 3_600_000) / 1000) * 1000);
const event = (reminders: string[]) => {
  const sample = sampleEvent();
  const at = startsAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  return { ...sample, sessions: sample.sessions.map((session) => ({ ...session, startsAt: at })), reminders };
};
let child = await start();
try {
  await call("PUT", `/admin/events/${eventId}`, scenario === "reminder" ? event(["PT1H"]) : sampleEvent());
  for (const person of people) {
    const { status } = await call("POST", `/events/${eventId}/registrations`, person);
    if (status !== 201) throw new Error(`a registration answered ${status}`);
  }
  /** What is being sent while the kills come, and how to tell it finished. */
  let finished: () => Promise<boolean>;
  let view: () => Promise<Record<string, unknown>>;
  if (scenario === "mailing") {
    const { json } = await call("POST", `/admin/events/${eventId}/mailings`, {
      name: "Crash",
      segment: {},
      subject: { fr: "Après la panne", en: "After the crash" },
      body: { fr: "Bonjour", en: "Hello" },
    });
    const mailingId = json.mailingId as string;
    await call("POST", `/admin/events/${eventId}/mailings/${mailingId}/send`);
    view = async () => (await call("GET", `/admin/events/${eventId}/mailings/${mailingId}`)).json;
    finished = async () => (await view()).status === "sent";
  } else if (scenario === "reminder") {
    await until("the confirmations", async () => (await emlCount()) >= recipients);
    const dueAt = Math.floor(Date.now() / 1000) * 1000 + 3_000;
    await call("PUT", `/admin/events/${eventId}`, event([`PT${(startsAt.getTime() - dueAt) / 1000}S`]));
    view = async () => {
      const { reminders } = (await call("GET", `/admin/events/${eventId}/reminders`)).json as {
        reminders: { sessionId: string; dueAt: string; status: string; sent: number }[];
      };
      const row = reminders.find(
        (reminder) => reminder.sessionId === "fr" && Date.parse(reminder.dueAt) <= dueAt,
      );
      return { ...row };
    };
    finished = async () => (await view()).status === "sent";
    // The kills begin once the reminder goes out.
    await until("the first reminder", async () => (await emlCount()) > recipients);
  } else {
    view = async () => ({ status: "confirmations" });
    finished = async () => true;
  }

  const killedAt: number[] = [];
  for (let kill_ = 0; kill_ < kills; kill_++) {
    await sleep(500 + Math.random() * 2_500);
    killedAt.push(Date.now());
    await kill(child, sigterm && kill_ === kills - 1 ? "SIGTERM" : "SIGKILL");
    child = await start();
  }
  const restartedAt = Date.now();
  await until("the mails to finish", finished, restartedAt);
  const finishedAfter = (Date.now() - restartedAt) / 1000;
  // Every mail out: as many outbox files as recipients, twice but for registrations only (a
  // duplicate shows below).
  const expectedFiles = recipients * (scenario === "registrations" ? 1 : 2);
  for (;;) {
    if ((await emlCount()) >= expectedFiles || Date.now() - restartedAt > 300_000) break;
    await sleep(250);
  }
  const seconds = (Date.now() - restartedAt) / 1000;
  // Let any late duplicate arrive before counting. The counts are read once every mail is out: a
  // reminder's are read from its delivery records at each view (a mailing's are set when it ends).
  await sleep(3_000);
  const sendingView = await view();
  const deadLetters = await readdir(join(dataDir, "dead-letters")).catch(() => [] as string[]);
  // One recipient at a time: reading every outbox file for all of them at once runs out of files.
  const counts: { confirmation: number; second: number }[] = [];
  const twice: string[] = [];
  const secondKind = scenario === "reminder" ? "reminder" : "mailing";
  for (const person of people) {
    const mails = await mailsTo(outbox, person.email);
    const isSecond = (mail: (typeof mails)[number]) => isSecondMail(mail.parsed.subject ?? "");
    const second = mails.filter(isSecond);
    const confirmations = mails.filter((mail) => !isSecond(mail));
    counts.push({ confirmation: confirmations.length, second: second.length });
    for (const [kind, copies] of [
      ["confirmation", confirmations],
      [secondKind, second],
    ] as const) {
      if (copies.length > 1)
        twice.push(`${kind} ${person.email}: ${copies.map((mail) => sentAt(mail.file)).join(", ")}`);
    }
  }
  // Where a duplicate comes from: when each copy went out, against when the stack was killed.
  if (twice.length > 0) {
    console.log(`killed at ${killedAt.map((at) => new Date(at).toISOString().slice(11, 23)).join(", ")}`);
    for (const line of twice) console.log(`twice: ${line}`);
  }
  const hasSecond = scenario !== "registrations";
  const lostConfirmations = counts.filter((count) => count.confirmation === 0).length;
  const lostSecond = hasSecond ? counts.filter((count) => count.second === 0).length : 0;
  const lost = lostConfirmations + lostSecond;
  const duplicatedConfirmations = counts.filter((count) => count.confirmation > 1).length;
  const duplicatedSecond = counts.filter((count) => count.second > 1).length;
  const duplicated = duplicatedConfirmations + duplicatedSecond;
  const sentCount = hasSecond
    ? z.object({ sent: z.number() }).parse((sendingView.counts as object | undefined) ?? sendingView).sent
    : 0;
  const secondInOutbox = counts.reduce((sum, count) => sum + Math.min(count.second, 1), 0);
  const what =
    scenario === "registrations"
      ? `${recipients} registrations' confirmations`
      : `${recipients} confirmations + ${recipients} ${secondKind} mails`;
  console.log(
    `${scenario}: ${kills} kills${sigterm ? " (the last one SIGTERM)" : ""}, ${what} at ${sesRate}/s: lost ${lost} ` +
      `(${lostConfirmations} confirmations${hasSecond ? `, ${lostSecond} ${secondKind} mails` : ""}), duplicated ${duplicated} ` +
      `(${duplicatedConfirmations} confirmations${hasSecond ? `, ${duplicatedSecond} ${secondKind} mails` : ""}), ` +
      `${seconds.toFixed(1)} s from the last restart to every mail out` +
      (hasSecond ? ` (${finishedAfter.toFixed(1)} s to the ${secondKind} marked sent)` : "") +
      (hasSecond ? `; ${secondKind} counts sent ${sentCount} (outbox ${secondInOutbox})` : "") +
      `; dead letters ${deadLetters.length}`,
  );
  const countsMatch = !hasSecond || sentCount === secondInOutbox;
  process.exitCode = lost + duplicated > 0 || !countsMatch || deadLetters.length > 0 || seconds > 120 ? 1 : 0;
} finally {
  await kill(child);
  // Kept when a mail was lost or duplicated, with each start's log, to find out why.
  if (process.exitCode === 0) await rm(dataDir, { recursive: true, force: true });
  else console.log(`data dir and logs kept in ${dataDir}`);
}
