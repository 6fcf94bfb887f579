import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, inject, it, vi } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { message } from "../../shared/bus/define-event.ts";
import { reminderDue } from "../../shared/bus/events/reminder-due.ts";
import { publishEvents } from "../../shared/bus/publish.ts";
import type { RawMail } from "../../shared/mail/mailer.ts";
import { listSessionRegistrations } from "../../shared/registrations/registration-store.ts";
import { fireReminder } from "../../shared/reminders/fire-due-reminders.ts";
import { type Reminder, reminderDeliveryKind } from "../../shared/reminders/reminder.ts";
import { listEventReminders, takeDueReminder } from "../../shared/reminders/reminder-store.ts";
import { sendReminderStep } from "../../shared/reminders/send-reminder.ts";
import { mailsTo, manageLinkIn, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled, waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

/**
 * Sends made from this test worker (when a test calls a use case directly) go through the real
 * mailer and the local SES; a test can make one address's first send fail, as SES or the network
 * might, and count the sends to its own addresses. Sends made by the stack are not affected.
 */
const mailer = vi.hoisted(() => ({ failOnce: new Set<string>(), sendsTo: new Map<string, number>() }));
vi.mock("../../shared/mail/mailer.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../shared/mail/mailer.ts")>();
  return {
    ...original,
    sendRawMail: async (mail: RawMail) => {
      mailer.sendsTo.set(mail.to, (mailer.sendsTo.get(mail.to) ?? 0) + 1);
      if (mailer.failOnce.delete(mail.to)) throw new Error(`simulated failure sending to ${mail.to}`);
      return original.sendRawMail(mail);
    },
  };
});

const { request } = apiClient();
const outbox = inject("outboxDir");
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

type ReminderRow = { sessionId: string; offset: string; dueAt: string; status: string; sent: number };

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A sample event whose French session starts at `frStartsAt`, with the given reminders. */
async function createEvent(frStartsAt: number, reminders: string[], capacity?: number) {
  const id = uniqueId("rem");
  const event = sampleEvent();
  event.sessions[0].startsAt = isoSeconds(frStartsAt);
  event.sessions[0].capacity = capacity;
  event.reminders = reminders;
  const response = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  if (response.status !== 201) throw new Error(`PUT event answered ${response.status}: ${response.text}`);
  return { id, event };
}

async function register(eventId: string, overrides: Record<string, unknown> = {}) {
  const person = registrant(overrides);
  const response = await request("POST", `/events/${eventId}/registrations`, { body: person });
  if (response.status !== 201) throw new Error(`registration answered ${response.status}: ${response.text}`);
  return {
    email: person.email,
    status: response.json.status as string,
    registrationId: response.json.registrationId as string,
  };
}

async function remindersOf(eventId: string): Promise<ReminderRow[]> {
  const response = await request("GET", `/admin/events/${eventId}/reminders`, { admin: true });
  if (response.status !== 200) throw new Error(`GET reminders answered ${response.status}: ${response.text}`);
  return response.json.reminders;
}

const isReminder = (mail: OutboxMail) => /^(Reminder|Rappel)\b/.test(mail.parsed.subject ?? "");
const remindersTo = async (email: string) => (await mailsTo(outbox, email)).filter(isReminder);

/** The stored reminder of the French session of an event (one offset per event in these tests). */
async function frenchReminder(eventId: string): Promise<Reminder> {
  const reminder = (await listEventReminders(eventId)).find((candidate) => candidate.sessionId === "fr");
  if (!reminder) throw new Error(`event ${eventId} has no reminder for "fr"`);
  return reminder;
}

const frenchRows = async (eventId: string) =>
  (await remindersOf(eventId)).filter((row) => row.sessionId === "fr");
const isSent = (rows: ReminderRow[]) => rows[0]?.status === "sent";

/**
 * A French session's P1D reminder being sent (as the tick leaves it) to three registrants, one of
 * whose mails another copy of `reminder.due` has claimed, its lease ending in `leaseMs`: the
 * registrant `whose` picks (by default the second).
 */
async function reminderWithClaimHeld(
  leaseMs: number,
  whose: (eventId: string, people: { registrationId: string }[]) => Promise<string | undefined> = async (
    _,
    people,
  ) => people[1]?.registrationId,
) {
  const { id } = await createEvent(Date.now() + 30 * dayMs, ["P1D"]);
  const people = [await register(id), await register(id), await register(id)];
  const reminder = await frenchReminder(id);
  await takeDueReminder(reminder, "sending", new Date(reminder.dueAt)); // as the tick does
  const detail = { eventId: id, sessionId: "fr", offset: "P1D", dueAt: reminder.dueAt };
  const claim = keys.delivery((await whose(id, people)) as string, reminderDeliveryKind("fr", "P1D"), 1);
  const leaseUntil = new Date(Date.now() + leaseMs).toISOString();
  await db.send(new PutCommand({ TableName: tableName, Item: { ...claim, state: "sending", leaseUntil } }));
  return { id, emails: people.map((person) => person.email), detail, claim };
}

const reminderCounts = (emails: string[]) =>
  Promise.all(emails.map(async (email) => (await remindersTo(email)).length));

// Each test works on its own event, so they run side by side: the first one waits for real time.
// Its tests wait on the minute tick (every second here) and run side by side: under a loaded run a
// tick can take seconds, so they get more than the default 30 s.
describe.concurrent("reminders", { timeout: 60_000 }, () => {
  it("mails each confirmed registrant one reminder in their language, with join link and invite, and nobody else", async ({
    expect,
  }) => {
    const { id } = await createEvent(Date.now() + 60 * minuteMs + 8_000, ["PT1H"], 2);
    const english = await register(id, { language: "en", firstName: "John" });
    const french = await register(id);
    const waitlisted = await register(id);
    const cancelled = await register(id);
    const [waitlistMail] = await waitForMails(outbox, cancelled.email);
    const manage = new URL(manageLinkIn(waitlistMail as OutboxMail) as string);
    const cancellation = await request("POST", `${manage.pathname}/cancel${manage.search}`);

    const [englishReminder] = await waitUntil(
      "the English reminder",
      () => remindersTo(english.email),
      (m) => m.length > 0,
    );
    const [frenchReminder] = await waitUntil(
      "the French reminder",
      () => remindersTo(french.email),
      (m) => m.length > 0,
    );
    await busSettled(3); // three more ticks, and whatever they caused

    expect([english.status, french.status, waitlisted.status, cancelled.status]).toEqual([
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    expect(cancellation.status).toBe(200);
    expect(englishReminder?.parsed.subject).toMatch(/^Reminder: Test webinar starts in 1 hour/);
    expect(frenchReminder?.parsed.subject).toMatch(/^Rappel.*Webinaire test.*dans 1 heure/);
    for (const mail of [englishReminder, frenchReminder] as OutboxMail[]) {
      expect(mail.parsed.text).toContain("https://webinar.example.org/j/fr-secret");
      expect(manageLinkIn(mail)).toBeDefined();
      expect(mail.calendar).toContain("METHOD:REQUEST");
    }
    expect(await reminderCounts([english.email, french.email, waitlisted.email, cancelled.email])).toEqual([
      1, 1, 0, 0,
    ]);
    expect((await frenchRows(id)).map((row) => [row.offset, row.status, row.sent])).toEqual([
      ["PT1H", "sent", 2],
    ]);
  });

  it("moves a pending reminder's due time when its session moves one day later", async ({ expect }) => {
    const startsAt = Date.now() + 10 * dayMs;
    const { id, event } = await createEvent(startsAt, ["P1D", "PT1H"]);
    const before = await remindersOf(id);

    event.sessions[0].startsAt = isoSeconds(startsAt + dayMs);
    const moved = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
    const after = await remindersOf(id);

    expect(moved.status).toBe(200);
    const frenchDueTimes = (rows: ReminderRow[]) =>
      rows
        .filter((row) => row.sessionId === "fr")
        .map((row) => [row.offset, row.status, Date.parse(row.dueAt)]);
    const frStart = Date.parse(isoSeconds(startsAt));
    expect(frenchDueTimes(before)).toEqual([
      ["P1D", "scheduled", frStart - dayMs],
      ["PT1H", "scheduled", frStart - 60 * minuteMs],
    ]);
    expect(frenchDueTimes(after)).toEqual([
      ["P1D", "scheduled", frStart],
      ["PT1H", "scheduled", frStart + dayMs - 60 * minuteMs],
    ]);
    expect(after.map((row) => row.dueAt)).toEqual([...after.map((row) => row.dueAt)].sort());
  });

  it("skips the P1D and PT1H reminders of a session created 30 minutes before its start", async ({
    expect,
  }) => {
    const { id } = await createEvent(Date.now() + 30 * minuteMs, ["P1D", "PT1H"]);
    const person = await register(id);
    await waitForMails(outbox, person.email);
    await busSettled(1);

    const french = await frenchRows(id);

    expect(french.map((row) => [row.offset, row.status, row.sent])).toEqual([
      ["P1D", "skipped", 0],
      ["PT1H", "skipped", 0],
    ]);
    expect(await remindersTo(person.email)).toEqual([]);
  });

  it("fires a reminder once when two ticks take it, and mails once when reminder.due arrives three times", async ({
    expect,
  }) => {
    const { id } = await createEvent(Date.now() + 30 * dayMs, ["P1D"]);
    const people = [await register(id), await register(id), await register(id, { language: "en" })];
    const reminder = await frenchReminder(id);
    const dueTime = new Date(reminder.dueAt);
    const detail = { eventId: id, sessionId: "fr", offset: "P1D", dueAt: reminder.dueAt };

    // Two ticks at once: each found the reminder due; the stack's consumer gets the one event.
    const firings = await Promise.all([fireReminder(reminder, dueTime), fireReminder(reminder, dueTime)]);
    // The bus delivers a duplicate, and a third copy is handled right here.
    await publishEvents([message(reminderDue, detail)]);
    const direct = await sendReminderStep(detail, { timeLeftMs: () => 60_000 });
    await waitUntil("the reminder to be sent", () => frenchRows(id), isSent);
    await busSettled(); // any late duplicate has mailed by now, or never will

    expect(firings.sort()).toEqual(["fired", "taken"]);
    // Done, found done, or (meeting the stack's copy still sending) left to that copy to finish.
    expect(["finished", "nothing-to-do", "checks-back"]).toContain(direct);
    expect(await reminderCounts(people.map((person) => person.email))).toEqual([1, 1, 1]);
    expect((await frenchRows(id)).map((row) => [row.status, row.sent])).toEqual([["sent", 3]]);
  });

  it("still mails someone whose send failed in one copy of reminder.due after a duplicate mailed the others", async ({
    expect,
  }) => {
    // The first copy of the event holds the claim of the second person (its lease runs) and is
    // still sending it...
    const { id, emails, detail, claim } = await reminderWithClaimHeld(60_000);

    // ...when a duplicate mails the others, and leaves the reminder sending for that claim.
    const duplicate = await sendReminderStep(detail, { timeLeftMs: () => 60_000 });
    const afterDuplicate = await frenchRows(id);
    // Then the first copy's send fails: its claim is released and its retry runs.
    await db.send(new DeleteCommand({ TableName: tableName, Key: claim }));
    const retry = await sendReminderStep(detail, { timeLeftMs: () => 60_000 });

    expect(duplicate).toBe("checks-back");
    expect(afterDuplicate.map((row) => row.status)).toEqual(["sending"]);
    expect(retry).toBe("finished");
    expect((await frenchRows(id)).map((row) => [row.status, row.sent])).toEqual([["sent", 3]]);
    expect(await reminderCounts(emails)).toEqual([1, 1, 1]);
  });

  it("still mails someone whose copy of reminder.due died holding their claim, after a duplicate mailed the others", async ({
    expect,
  }) => {
    // The first copy of the event claimed the second person's mail, its lease running for two
    // more seconds, and died there: nothing releases that claim.
    const { id, emails, detail } = await reminderWithClaimHeld(2_000);

    const duplicate = await sendReminderStep(detail, { timeLeftMs: () => 60_000 });
    // The sweeper publishes the reminder again once that claim can be taken over, and the stack's
    // step mails the second person and finishes it.
    await waitUntil("the reminder to be sent", () => frenchRows(id), isSent);
    await busSettled();

    expect(duplicate).toBe("checks-back");
    expect(await reminderCounts(emails)).toEqual([1, 1, 1]);
    expect((await frenchRows(id)).map((row) => [row.status, row.sent])).toEqual([["sent", 3]]);
  });

  it("still mails someone whose copy died holding their claim in the first of several steps", async ({
    expect,
  }) => {
    // A dead copy of the event holds the claim of the first registrant the steps page through.
    const { id, emails, detail } = await reminderWithClaimHeld(2_000, async (eventId) => {
      const { registrations } = await listSessionRegistrations(eventId, "fr", "confirmed", { limit: 1 });
      return registrations[0]?.registrationId;
    });

    // This step meets that claim, then runs short of time and hands the others on to the stack.
    const firstStep = await sendReminderStep(detail, {
      pageSize: 1,
      concurrency: 1,
      timeLeftMs: () => 10_000,
    });
    await waitUntil("the reminder to be sent", () => frenchRows(id), isSent);
    await busSettled();

    expect(firstStep).toBe("handed-on");
    expect(await reminderCounts(emails)).toEqual([1, 1, 1]);
    expect((await frenchRows(id)).map((row) => [row.status, row.sent])).toEqual([["sent", 3]]);
  });

  it("resumes a reminder whose tick died after marking it sending: the sweeper publishes it once its lease expires", async ({
    expect,
  }) => {
    const { id } = await createEvent(Date.now() + 30 * dayMs, ["P1D"]);
    const people = [await register(id), await register(id, { language: "en" })];
    const reminder = await frenchReminder(id);
    const detail = { eventId: id, sessionId: "fr", offset: "P1D", dueAt: reminder.dueAt };
    // The tick's write, with a lease that has run out, and no `reminder.due`: the tick died.
    const lease = { until: new Date(Date.now() - 10_000), resume: message(reminderDue, detail) };
    await takeDueReminder(reminder, "sending", new Date(reminder.dueAt), lease);

    await waitUntil("the reminder to be sent", () => frenchRows(id), isSent);
    await busSettled();

    expect(await reminderCounts(people.map((person) => person.email))).toEqual([1, 1]);
    expect((await frenchRows(id)).map((row) => [row.status, row.sent])).toEqual([["sent", 2]]);
  });

  it("finishes with everyone mailed exactly once after a failed send and a step handed on half-way", async ({
    expect,
  }) => {
    const { id } = await createEvent(Date.now() + 30 * dayMs, ["P1D"]);
    const people: { email: string }[] = [];
    for (let index = 0; index < 12; index++) people.push(await register(id));
    const emails = people.map((person) => person.email);
    const reminder = await frenchReminder(id);
    await takeDueReminder(reminder, "sending", new Date(reminder.dueAt)); // as the tick does
    const detail = { eventId: id, sessionId: "fr", offset: "P1D", dueAt: reminder.dueAt };
    const sendsFromHere = () => emails.reduce((total, email) => total + (mailer.sendsTo.get(email) ?? 0), 0);
    mailer.failOnce.add(emails[2] as string);
    const step = { pageSize: 5, concurrency: 2 };

    // The first step loses one send in its first page: it mails the rest of the page, then fails.
    const firstStep = sendReminderStep(detail, { ...step, timeLeftMs: () => 60_000 });
    await expect(firstStep).rejects.toThrow(/could not be sent/);
    const afterFirstStep = sendsFromHere();
    // Its retry runs short of time after a few sends and hands the rest on to the stack's consumer.
    const retry = await sendReminderStep(detail, {
      ...step,
      timeLeftMs: () => (sendsFromHere() >= afterFirstStep + 3 ? 10_000 : 60_000),
    });
    const final = await waitUntil("the reminder to be sent", () => frenchRows(id), isSent);

    expect(afterFirstStep).toBe(5); // four mailed, one failed
    expect(retry).toBe("handed-on");
    expect(sendsFromHere()).toBeLessThan(12); // the stack mailed the rest
    expect(await reminderCounts(emails)).toEqual(emails.map(() => 1));
    expect(final.map((row) => [row.status, row.sent])).toEqual([["sent", 12]]);
  });
});
