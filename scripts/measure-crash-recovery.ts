/**
 * Measures recovery from crashes (issue 11): `npm start` on a fresh data dir, 100 registrants
 * (confirmations) and a mailing to all of them at an SES max send rate of 5/s, while the whole
 * process group is killed with `kill -9` at 10 random moments and started again on the same data
 * dir. Prints, over the confirmations and the mailing: lost (recipients with no mail), duplicated
 * (with more than one) and the seconds from the last restart until the mailing is `sent`.
 *
 *   npx tsx scripts/measure-crash-recovery.ts [kills] [recipients]
 *
 * It exits with 1 if a mail was lost or duplicated.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../infra/local/local-stack.ts";
import { mailsTo } from "../test/support/outbox.ts";
import { registrant, sampleEvent } from "../test/support/sample-event.ts";

const kills = Number(process.argv[2] ?? 10);
const recipients = Number(process.argv[3] ?? 100);
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
      CONVENE_SES_MAX_SEND_RATE: "5",
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

async function kill(child: ChildProcess) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  process.kill(-child.pid, "SIGKILL");
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
    await kill(child);
    child = await start();
  }
  const restartedAt = Date.now();
  for (;;) {
    const view = await call("GET", `/admin/events/${eventId}/mailings/${mailingId}`);
    if (view.json.status === "sent") break;
    if (Date.now() - restartedAt > 300_000) throw new Error("the mailing did not finish within 5 minutes");
    await sleep(250);
  }
  const seconds = (Date.now() - restartedAt) / 1000;
  // Let any late duplicate arrive before counting.
  await sleep(3_000);
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
  console.log(
    `${kills} kills, ${recipients} confirmations + ${recipients} mailing mails: lost ${lost} ` +
      `(${lostConfirmations} confirmations, ${lostMailings} mailing mails), duplicated ${duplicated} ` +
      `(${duplicatedConfirmations} confirmations, ${duplicatedMailings} mailing mails), ` +
      `${seconds.toFixed(1)} s from the last restart to the mailing sent`,
  );
  process.exitCode = lost + duplicated > 0 ? 1 : 0;
} finally {
  await kill(child);
  // Kept when a mail was lost or duplicated, with each start's log, to find out why.
  if (process.exitCode === 0) await rm(dataDir, { recursive: true, force: true });
  else console.log(`data dir and logs kept in ${dataDir}`);
}
