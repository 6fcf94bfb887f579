import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freeStackPorts,
  type SpawnedStack,
  type StackPorts,
  spawnStack,
} from "../../infra/local/spawn-stack.ts";
import { localTableName } from "../../infra/local-names.ts";
import { keys } from "../../shared/aws/table.ts";
import { mailsTo } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";

type EventView = { sessions: { id: string; joinUrl?: string }[]; createdAt: string };

/**
 * `npm start` as a newcomer runs it, a real process (its own process group, DynamoDB Local
 * included), on one data dir through the steps of this file, in order: its printed URLs and
 * token, `kill -9` of the whole group in the middle of a mailing and a start again (the mailing
 * finishes by itself, everyone mailed once; data and token kept), its bus refusing `PutEvents`
 * for a while, and SIGTERM stopping everything. One data dir and two starts for all of it: each
 * start of the stack (Java, the functions) is the costly part of these tests.
 */
describe("npm start, a real process", () => {
  const started: SpawnedStack[] = [];
  let dataDir: string;
  let ports: StackPorts;
  let api: string;
  let current: SpawnedStack;
  let adminToken = "";

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "convene-start-"));
    ports = await freeStackPorts();
    api = `http://127.0.0.1:${ports.http}`;
  });

  afterAll(async () => {
    for (const stack of started) await stack.crash();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start(testSwitches: Record<string, string> = {}) {
    current = await spawnStack({
      dataDir,
      ports,
      // A newcomer's shell: none of the variables the test run's own stack has set.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) =>
              !name.startsWith("AWS_") &&
              !/^(TABLE_NAME|EVENT_BUS_NAME|SENDER_EMAIL|SENDER_NAME|SES_CONFIGURATION_SET|PUBLIC_URL|CONVENE_LEASE_EPOCH|CONVENE_ADMIN_TOKEN|CONVENE_SEND_EVENT_GRACE_MS)$/.test(
                name,
              ),
          ),
        ),
        ...testSwitches,
      },
      // Slow enough that the kill lands in the middle of the mailing.
      sesMaxSendRate: 10,
    });
    started.push(current);
    return current;
  }

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  /** A record of the stack's table, read from its DynamoDB Local as the functions read it. */
  const deliveryRecord = async (key: { pk: string; sk: string }) => {
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${ports.dynamo}`,
        region: "eu-west-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    try {
      return (await client.send(new GetCommand({ TableName: localTableName, Key: key }))).Item;
    } finally {
      client.destroy();
    }
  };
  const getEvent = async (path: string) => (await call("GET", path)).json as unknown as EventView;
  const outbox = () => join(dataDir, "outbox");
  const outboxSize = async () =>
    (await readdir(outbox()).catch(() => [])).filter((file) => file.endsWith(".eml")).length;
  /** A person's mails whose subject `subject` matches (or, with `matching` false, does not). */
  const mailsAbout = async (person: { email: string }, subject: RegExp, matching = true) =>
    (await mailsTo(outbox(), person.email)).filter(
      (mail) => subject.test(mail.parsed.subject ?? "") === matching,
    );
  /** A draft mailing to every registrant of the event, with the subject given per language. */
  const draftMailing = async (eventId: string, name: string, subject: { fr: string; en: string }) =>
    (
      await call("POST", `/admin/events/${eventId}/mailings`, {
        name,
        segment: {},
        subject,
        body: { fr: "Bonjour", en: "Hello" },
      })
    ).json.mailingId as string;
  /**
   * The registrant the first start dies for (`CONVENE_TEST_CRASH_AFTER_SEND`): right after SES took
   * their second mail (the confirmation, then the mailing's), before the sender recorded it.
   */
  const victim = registrant();
  /** The registrant a later start dies for: right after SES took their reminder. */
  const reminderVictim = registrant();

  it("prints the form, console and sign-in links with a token of its own, and serves the demo event and the outbox", {
    timeout: 90_000,
  }, async () => {
    const output = (await start({ CONVENE_TEST_CRASH_AFTER_SEND: `${victim.email}#2` })).output();
    adminToken = /Admin token\s+(\S+)/.exec(output)?.[1] ?? "";

    const event = (await (await fetch(`${api}/events/mc2cm-webinar-4`)).json()) as EventView;
    const adminView = await getEvent("/admin/events/mc2cm-webinar-4");
    const outboxPage = await fetch(`http://127.0.0.1:${ports.ses}/`);
    const consolePage = await fetch(`${api}/console/events/mc2cm-webinar-4`);

    expect(adminToken).toMatch(/^\S{16,}$/);
    expect(output).toContain(`${api}/events/mc2cm-webinar-4/register`);
    expect(output).toContain(`Sign in directly   ${api}/console/#token=${adminToken}`);
    expect(consolePage.headers.get("content-type")).toContain("text/html");
    expect(await consolePage.text()).toContain('<div id="root">');
    expect(event.sessions.map((session) => session.id)).toEqual(["fr", "en"]);
    expect(JSON.stringify(event)).not.toContain("joinUrl");
    expect(outboxPage.status).toBe(200);
    expect(adminView.sessions[0]?.joinUrl).toMatch(/^https:/);
  });

  it("finishes a mailing and the confirmations in flight after kill -9 of the whole process group and a start again: nobody missing, nobody twice (not even the mail SES took right before the kill), data and token kept", {
    timeout: 120_000,
  }, async () => {
    const demoBefore = await getEvent("/admin/events/mc2cm-webinar-4");
    const id = uniqueId("crash");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    const people = [...Array.from({ length: 29 }, () => registrant()), victim];
    let victimId = "";
    for (const person of people) {
      const registered = await call("POST", `/events/${id}/registrations`, person);
      expect(registered.status).toBe(201);
      if (person === victim) victimId = String(registered.json.registrationId);
    }
    const mailingId = await draftMailing(id, "Crash", { fr: "Après la panne", en: "After the crash" });
    const mailingMails = (person: { email: string }) => mailsAbout(person, /panne|crash/);
    // Every confirmation out first, so that the victim's second mail is the mailing's.
    await waitUntil("the confirmations", outboxSize, (size) => size >= people.length);
    // Ten more registrations whose confirmations are still going out, beside the mailing's mails,
    // when the process dies: each 201 must get exactly one confirmation all the same.
    const late = Array.from({ length: 10 }, () => registrant());
    for (const person of late)
      expect((await call("POST", `/events/${id}/registrations`, person)).status).toBe(201);
    const died = once(current.child, "exit");
    expect((await call("POST", `/admin/events/${id}/mailings/${mailingId}/send`)).status).toBe(202);
    // The process group dies by itself (the test switch), inside the window: SES took the mail,
    // its event is on the bus, its delivery record still says `sending`.
    const [exitCode, signal] = await died;
    const victimsMails = await mailingMails(victim);

    const output = (await start()).output();
    const sent = await waitUntil(
      "the mailing to finish",
      async () => (await call("GET", `/admin/events/${id}/mailings/${mailingId}`)).json,
      (view) => view.status === "sent",
      60_000,
    );

    const everyone = [...people, ...late];
    const counts = await Promise.all(everyone.map(async (person) => (await mailingMails(person)).length));
    const confirmationsOf = async (person: { email: string }) =>
      (await mailsAbout(person, /panne|crash/, false)).length;
    const lateConfirmations = await waitUntil(
      "the late registrants' confirmations",
      () => Promise.all(late.map(confirmationsOf)),
      (found) => found.every((count) => count >= 1),
    );
    expect([exitCode, signal]).toEqual([null, "SIGKILL"]);
    expect(victimsMails).toHaveLength(1);
    // Nobody missing, nobody twice: the victim's mail (and any other in flight) was recorded by
    // SES's send event, so the resumed mailing did not send it again.
    expect(counts).toEqual(everyone.map(() => 1));
    expect(lateConfirmations).toEqual(late.map(() => 1));
    expect(sent.sent).toBe(40);
    const record = await deliveryRecord(keys.mailingDelivery(mailingId, victimId));
    expect(record).toMatchObject({ state: "sent" });
    expect(victimsMails[0]?.file).toContain(String(record?.messageId));
    expect(output).toContain(`Admin token        ${adminToken}`);
    // The demo event is seeded once, not again on each start.
    expect((await getEvent("/admin/events/mc2cm-webinar-4")).createdAt).toBe(demoBefore.createdAt);
  });

  it("registers while the bus refuses PutEvents, and confirms everyone once it accepts again", {
    timeout: 90_000,
  }, async () => {
    const refuse = (on: boolean) =>
      fetch(`http://127.0.0.1:${ports.bus}/_local/refuse-put-events?refuse=${on ? 1 : 0}`, {
        method: "POST",
      });
    const id = uniqueId("refused");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    const people = Array.from({ length: 5 }, () => registrant());
    const confirmations = () =>
      Promise.all(people.map(async (person) => (await mailsTo(outbox(), person.email)).length));

    await refuse(true);
    const statuses = [];
    for (const person of people)
      statuses.push((await call("POST", `/events/${id}/registrations`, person)).status);
    // Refused across several of the stream relay's retries: nothing can have been mailed yet.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const whileRefused = await confirmations();
    await refuse(false);
    const after = await waitUntil(
      "everyone's confirmation",
      confirmations,
      (counts) => counts.every((n) => n > 0),
      60_000,
    );

    expect(statuses).toEqual(people.map(() => 201));
    expect(whileRefused).toEqual(people.map(() => 0));
    expect(after).toEqual(people.map(() => 1));
  });

  it("stops everything on SIGTERM in the middle of a mailing, DynamoDB Local included, exits with 0, and the mailing is complete after the next start: nobody missing or twice, no dead letter", {
    timeout: 120_000,
  }, async () => {
    const id = uniqueId("sigterm");
    await call("PUT", `/admin/events/${id}`, sampleEvent());
    // Whether the stop's five seconds for the steps in flight finish the mailing or leave it to the
    // next start (the kill tests prove that resuming), nobody is missing or twice, and no step
    // fails against a service stopped under it (a dead letter).
    const people = Array.from({ length: 20 }, () => registrant());
    const before = await outboxSize();
    for (const person of people) await call("POST", `/events/${id}/registrations`, person);
    const mailingId = await draftMailing(id, "Stopped", { fr: "Après l'arrêt", en: "After the stop" });
    const mailingMails = (person: { email: string }) => mailsAbout(person, /arrêt|stop/);
    await waitUntil("everyone's confirmation", outboxSize, (size) => size >= before + people.length);
    const confirmed = await outboxSize();
    await call("POST", `/admin/events/${id}/mailings/${mailingId}/send`);
    await waitUntil("the mailing's first mails", outboxSize, (size) => size >= confirmed + 3);

    const code = await current.stop(25_000);
    const dynamoAfterStop = fetch(`http://127.0.0.1:${ports.dynamo}/`);
    await expect(dynamoAfterStop).rejects.toThrow();
    // The next start dies in the middle of a reminder, in the last test of this file.
    await start({
      CONVENE_TEST_CRASH_AFTER_SEND: `${reminderVictim.email}#2`,
      CONVENE_LOCAL_SCHEDULE_SECONDS: "1",
    });
    const sent = await waitUntil(
      "the mailing to finish",
      async () => (await call("GET", `/admin/events/${id}/mailings/${mailingId}`)).json,
      (view) => view.status === "sent",
      60_000,
    );
    const counts = await Promise.all(people.map(async (person) => (await mailingMails(person)).length));
    const deadLetters = await readdir(join(dataDir, "dead-letters")).catch(() => []);

    expect(code).toBe(0);
    expect(counts).toEqual(people.map(() => 1));
    expect(sent.sent).toBe(people.length);
    expect(deadLetters).toEqual([]);
  });

  it("finishes a reminder after kill -9 in the middle of it and a start again: every confirmed registrant reminded once", {
    timeout: 120_000,
  }, async () => {
    const id = uniqueId("reminder-crash");
    // The sessions start one hour and 15 s from now, and the reminder is an hour before: it falls
    // due once everyone below is registered and confirmed, and the schedule ticks every second.
    await call("PUT", `/admin/events/${id}`, { ...sampleEvent((3600 + 15) / 3600), reminders: ["PT1H"] });
    const people = [...Array.from({ length: 29 }, () => registrant()), reminderVictim];
    const died = once(current.child, "exit");
    for (const person of people)
      expect((await call("POST", `/events/${id}/registrations`, person)).status).toBe(201);
    const reminders = (person: { email: string }) => mailsAbout(person, /^(Reminder|Rappel)\b/);
    // The process group dies by itself right after SES took the victim's reminder.
    const [, signal] = await died;
    const victimsReminders = await reminders(reminderVictim);

    await start();
    const row = await waitUntil(
      "the reminder to be sent",
      async () =>
        (
          (await call("GET", `/admin/events/${id}/reminders`)).json.reminders as Record<string, unknown>[]
        ).find((reminder) => reminder.sessionId === "fr"),
      (reminder) => reminder?.status === "sent" && reminder.sent === people.length,
      60_000,
    );
    const counts = await Promise.all(people.map(async (person) => (await reminders(person)).length));

    expect(signal).toBe("SIGKILL");
    expect(victimsReminders).toHaveLength(1);
    expect(counts).toEqual(people.map(() => 1));
    expect(row).toMatchObject({ status: "sent", sent: people.length });
  });
});
