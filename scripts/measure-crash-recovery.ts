/**
 * Measures recovery from crashes (issue 11): `npm start` on a fresh data dir, `recipients`
 * registrants (confirmations) and a mailing to all of them, while the whole process group is
 * killed with `kill -9` at `kills` random moments and started again on the same data dir. Prints,
 * over the confirmations and the mailing: lost (recipients with no mail), duplicated (with more
 * than one), the seconds from the last restart until the mailing is `sent` and every mail is out,
 * the mailing's counts against the outbox, and the dead letters left.
 *
 *   npx tsx scripts/measure-crash-recovery.ts [kills] [recipients] [--rate=5] [--sigterm]
 *
 * `--rate` is the local SES max send rate; `--sigterm` stops the stack with SIGTERM (Ctrl-C)
 * instead of the last `kill -9`, as someone stopping it during the mailing.
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
import { freePort } from "../infra/local/local-stack.ts";
import { mailsTo } from "../test/support/outbox.ts";
import { registrant, sampleEvent } from "../test/support/sample-event.ts";

const positional = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}`));
const kills = Number(positional[0] ?? 10);
const recipients = Number(positional[1] ?? 100);
const sesRate = flag("rate")?.split("=")[1] ?? "5";
const sigterm = flag("sigterm") !== undefined;
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
let child = await start();
try {
  await call("PUT", `/admin/events/${eventId}`, sampleEvent());
  for (const person of people) {
    const { status } = await call("POST", `/events/${eventId}/registrations`, person);
    if (status !== 201) throw new Error(`a registration answered ${status}`);
  }
  const { json } = await call("POST", `/admin/events/${eventId}/mailings`, {
    name: "Crash",
    segment: {},
    subject: { fr: "Après la panne", en: "After the crash" },
    body: { fr: "Bonjour", en: "Hello" },
  });
  const mailingId = json.mailingId as string;
  await call("POST", `/admin/events/${eventId}/mailings/${mailingId}/send`);

  const killedAt: number[] = [];
  for (let kill_ = 0; kill_ < kills; kill_++) {
    await sleep(500 + Math.random() * 2_500);
    killedAt.push(Date.now());
    await kill(child, sigterm && kill_ === kills - 1 ? "SIGTERM" : "SIGKILL");
    child = await start();
  }
  const restartedAt = Date.now();
  for (;;) {
    const view = await call("GET", `/admin/events/${eventId}/mailings/${mailingId}`);
    if (view.json.status === "sent") break;
    if (Date.now() - restartedAt > 300_000) throw new Error("the mailing did not finish within 5 minutes");
    await sleep(250);
  }
  const mailingView = (await call("GET", `/admin/events/${eventId}/mailings/${mailingId}`)).json;
  // Every mail out: as many outbox files as recipients twice (a duplicate shows below).
  for (;;) {
    const files = (await readdir(outbox)).filter((file) => file.endsWith(".eml")).length;
    if (files >= recipients * 2 || Date.now() - restartedAt > 300_000) break;
    await sleep(250);
  }
  const seconds = (Date.now() - restartedAt) / 1000;
  // Let any late duplicate arrive before counting.
  await sleep(3_000);
  const deadLetters = await readdir(join(dataDir, "dead-letters")).catch(() => [] as string[]);
  // One recipient at a time: reading every outbox file for all of them at once runs out of files.
  const counts: { confirmation: number; mailing: number }[] = [];
  const twice: string[] = [];
  for (const person of people) {
    const mails = await mailsTo(outbox, person.email);
    const isMailing = (mail: (typeof mails)[number]) => /panne|crash/.test(mail.parsed.subject ?? "");
    const mailing = mails.filter(isMailing);
    const confirmations = mails.filter((mail) => !isMailing(mail));
    counts.push({ confirmation: confirmations.length, mailing: mailing.length });
    for (const [kind, copies] of [
      ["confirmation", confirmations],
      ["mailing", mailing],
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
  const lostConfirmations = counts.filter((count) => count.confirmation === 0).length;
  const lostMailings = counts.filter((count) => count.mailing === 0).length;
  const lost = lostConfirmations + lostMailings;
  const duplicatedConfirmations = counts.filter((count) => count.confirmation > 1).length;
  const duplicatedMailings = counts.filter((count) => count.mailing > 1).length;
  const duplicated = duplicatedConfirmations + duplicatedMailings;
  const mailingCounts = z
    .object({ sent: z.number(), skipped: z.number(), failed: z.number() })
    .parse(mailingView.counts ?? mailingView);
  const mailingInOutbox = counts.reduce((sum, count) => sum + Math.min(count.mailing, 1), 0);
  console.log(
    `${kills} kills${sigterm ? " (the last one SIGTERM)" : ""}, ${recipients} confirmations + ${recipients} mailing mails at ${sesRate}/s: lost ${lost} ` +
      `(${lostConfirmations} confirmations, ${lostMailings} mailing mails), duplicated ${duplicated} ` +
      `(${duplicatedConfirmations} confirmations, ${duplicatedMailings} mailing mails), ` +
      `${seconds.toFixed(1)} s from the last restart to the mailing sent and every mail out; ` +
      `mailing counts sent ${mailingCounts.sent} (outbox ${mailingInOutbox}); dead letters ${deadLetters.length}`,
  );
  const countsMatch = mailingCounts.sent === mailingInOutbox;
  process.exitCode = lost + duplicated > 0 || !countsMatch || deadLetters.length > 0 || seconds > 120 ? 1 : 0;
} finally {
  await kill(child);
  // Kept when a mail was lost or duplicated, with each start's log, to find out why.
  if (process.exitCode === 0) await rm(dataDir, { recursive: true, force: true });
  else console.log(`data dir and logs kept in ${dataDir}`);
}
