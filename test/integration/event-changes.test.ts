import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, inject, it } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { message } from "../../shared/bus/define-event.ts";
import { sessionChanged } from "../../shared/bus/events/session-changed.ts";
import { publishEvents } from "../../shared/bus/publish.ts";
import { findEvent, saveEvent } from "../../shared/events/event-store.ts";
import { sendSessionUpdates } from "../../shared/events/send-session-updates.ts";
import { mailsTo, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled, waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

/**
 * What organisers' changes to a saved event do to its registrants (issue 15): freed seats filled,
 * sessions with registrants kept, cancellations and updates announced once per change.
 */
const { request } = apiClient();
const outbox = inject("outboxDir");

type Event = ReturnType<typeof sampleEvent>;

async function putEvent(id: string, event: Event) {
  return request("PUT", `/admin/events/${id}`, { body: event, admin: true });
}

async function createEvent(change: (event: Event) => void = () => {}) {
  const id = uniqueId("chg");
  const event = sampleEvent();
  change(event);
  const response = await putEvent(id, event);
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

/** `count` registrants, one after the other (so that they join a waitlist in this order). */
async function registerInTurn(eventId: string, count: number, overrides: Record<string, unknown> = {}) {
  const people: { email: string; status: string }[] = [];
  for (let i = 0; i < count; i++) people.push(await register(eventId, overrides));
  return people;
}

async function statuses(eventId: string): Promise<Map<string, string>> {
  const response = await request("GET", `/admin/events/${eventId}/registrations?limit=1000`, { admin: true });
  if (response.status !== 200) throw new Error(`GET registrations answered ${response.status}`);
  const rows = response.json.registrations as { email: string; status: string }[];
  return new Map(rows.map((row) => [row.email, row.status]));
}

/**
 * An event whose `fr` session has one seat, taken by a registrant (`confirmed`, their confirmation
 * received) while a second one waits (`waitlisted`, in English, their waitlist mail received).
 */
async function oneSeatTaken() {
  const { id, event } = await createEvent((event) => {
    event.sessions[0].capacity = 1;
  });
  const confirmed = await register(id);
  const waitlisted = await register(id, { language: "en" });
  const [confirmation] = await waitForMails(outbox, confirmed.email);
  await waitForMails(outbox, waitlisted.email);
  return { id, event, confirmed, waitlisted, confirmation };
}

const isPromotion = (mail: OutboxMail) => /^(A seat became free|Une place)/.test(mail.parsed.subject ?? "");

// Under a loaded run (registrations, mail pacing, the bus) a test can take more than the default 30 s.
/** A property of the invite a mail carries (`UID`, `SEQUENCE`, `METHOD`, `DTSTART`). */
const inviteField = (mail: OutboxMail | undefined, name: string) =>
  new RegExp(`^${name}[:;](.*)$`, "m").exec(mail?.calendar ?? "")?.[1]?.trim();

describe.concurrent("event changes", { timeout: 60_000 }, () => {
  it("raising a session's capacity from 10 to 12 with 5 waiting promotes and mails the 2 oldest, once each", async ({
    expect,
  }) => {
    const { id, event } = await createEvent((event) => {
      event.sessions[0].capacity = 10;
    });
    // One after the other: the waitlist is served oldest first.
    const people = await registerInTurn(id, 15, { language: "en" });
    const [confirmed, waiting] = [people.slice(0, 10), people.slice(10)];

    event.sessions[0].capacity = 12;
    const saved = await putEvent(id, event);
    const promotionsOf = async () =>
      Promise.all(
        waiting.map(async ({ email }) => (await mailsTo(outbox, email)).filter(isPromotion).length),
      );
    await waitUntil("two promotion mails", promotionsOf, (counts) => counts.filter(Boolean).length >= 2);
    // The same PUT again (as after a lost publish) and the stack settled: nobody more, nobody twice.
    const again = await putEvent(id, event);
    await busSettled();

    expect(confirmed.map((person) => person.status)).toEqual(Array(10).fill("confirmed"));
    expect(waiting.map((person) => person.status)).toEqual(Array(5).fill("waitlisted"));
    expect([saved.status, again.status]).toEqual([200, 200]);
    const now = await statuses(id);
    expect(waiting.map(({ email }) => now.get(email))).toEqual([
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
      "waitlisted",
    ]);
    expect(await promotionsOf()).toEqual([1, 1, 0, 0, 0]);
  });

  it("lowering a capacity below the confirmed count confirms nobody new, and removing it fills every seat", async ({
    expect,
  }) => {
    const { id, event } = await createEvent((event) => {
      event.sessions[0].capacity = 2;
    });
    const people = await registerInTurn(id, 4);

    event.sessions[0].capacity = 1;
    const lowered = await putEvent(id, event);
    await busSettled();
    const afterLowering = await statuses(id);
    event.sessions[0].capacity = undefined;
    const removed = await putEvent(id, event);
    const afterRemoving = await waitUntil(
      "everyone confirmed",
      () => statuses(id),
      (now) => [...now.values()].every((status) => status === "confirmed"),
    );

    expect([lowered.status, removed.status]).toEqual([200, 200]);
    expect(people.map(({ email }) => afterLowering.get(email))).toEqual([
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    expect(people.map(({ email }) => afterRemoving.get(email))).toEqual(Array(4).fill("confirmed"));
  });

  it("refuses a PUT that removes a session people registered for, naming it and its counts, and changes nothing", async ({
    expect,
  }) => {
    const { id, event } = await createEvent();
    await register(id, { sessionId: "en", language: "en" });
    await register(id, { sessionId: "en", language: "en" });
    const before = (await request("GET", `/admin/events/${id}`, { admin: true })).json;

    const withoutEnglish = { ...event, sessions: [event.sessions[0]] };
    const refused = await request("PUT", `/admin/events/${id}`, { body: withoutEnglish, admin: true });
    const after = (await request("GET", `/admin/events/${id}`, { admin: true })).json;
    const withoutFrench = { ...event, sessions: [event.sessions[1]] };
    const allowed = await request("PUT", `/admin/events/${id}`, { body: withoutFrench, admin: true });

    expect(refused.status).toBe(409);
    expect(refused.json.error).toBe("session-has-registrations");
    expect(refused.json.message).toContain('"en" (2 confirmed, 0 waitlisted, 0 cancelled)');
    expect(after).toEqual(before);
    expect(allowed.status).toBe(200);
  });

  it("cancelling a session mails each of its registrants once (a CANCEL of their invite to whom got one), skips its reminders and closes it", async ({
    expect,
  }) => {
    const { id, event, confirmed, waitlisted, confirmation } = await oneSeatTaken();
    const cancel = (body: unknown) =>
      request("POST", `/admin/events/${id}/sessions/fr/cancel`, { body, admin: true });
    const message = { fr: "Rendez-vous au prochain webinaire.", en: "See you at the next webinar." };

    const cancelled = await cancel({ message });
    const again = await cancel({ message }); // sent twice, as a script retrying would
    const cancellationsTo = async (email: string) =>
      (await mailsTo(outbox, email)).filter((mail) =>
        /^(Session annulée|Session cancelled)/.test(mail.parsed.subject ?? ""),
      );
    await waitUntil(
      "both cancellations",
      () => Promise.all([cancellationsTo(confirmed.email), cancellationsTo(waitlisted.email)]),
      (lists) => lists.every((list) => list.length > 0),
    );
    await busSettled();
    const [toConfirmed, toWaitlisted] = [
      await cancellationsTo(confirmed.email),
      await cancellationsTo(waitlisted.email),
    ];
    const late = await request("POST", `/events/${id}/registrations`, { body: registrant() });
    const form = (await request("GET", `/events/${id}/register?lang=fr`)).text;
    const page = (await request("GET", `/events/${id}?lang=fr`, { headers: { accept: "text/html" } })).text;
    const resend = await request(
      "POST",
      `/admin/events/${id}/registrations/${confirmed.registrationId}/resend`,
      {
        admin: true,
      },
    );
    const reminders = (await request("GET", `/admin/events/${id}/reminders`, { admin: true })).json
      .reminders as {
      sessionId: string;
      status: string;
    }[];
    // The organiser's file knows nothing of the cancellation; its raised capacity promotes nobody.
    event.sessions[0].capacity = 5;
    const resaved = await putEvent(id, event);
    await busSettled();
    const toWaitlistedInAll = (await mailsTo(outbox, waitlisted.email)).length;
    const csv = (await request("GET", `/admin/events/${id}/registrations?format=csv`, { admin: true })).text;
    const stats = (await request("GET", `/admin/events/${id}/stats`, { admin: true })).json;

    expect([cancelled.status, again.status]).toEqual([200, 200]);
    expect(cancelled.json.sessions[0].cancelledAt).toEqual(expect.any(String));
    expect([toConfirmed.length, toWaitlisted.length]).toEqual([1, 1]);
    const [french, english] = [toConfirmed[0], toWaitlisted[0]];
    expect(inviteField(french, "METHOD")).toBe("CANCEL");
    // On the waiting list, the English registrant never got an invite: the news comes without one.
    expect(english?.calendar).toBeUndefined();
    expect(english?.parsed.text).not.toContain("calendar");
    expect(inviteField(french, "UID")).toBe(inviteField(confirmation, "UID"));
    expect(Number(inviteField(french, "SEQUENCE"))).toBeGreaterThan(
      Number(inviteField(confirmation, "SEQUENCE")),
    );
    expect(french?.parsed.text).toContain("Rendez-vous au prochain webinaire.");
    expect(english?.parsed.text).toContain("See you at the next webinar.");
    // The English session is still open: the mail links to the registrant's own page, where they
    // switch (the form, too, would move them: see the next test).
    expect(english?.parsed.text).toMatch(/\/registrations\/\S+#switch-title/);
    expect([late.status, late.json?.error]).toEqual([409, "session-cancelled"]);
    // Nobody is offered it any more, nor sent an invite to it.
    expect(form).not.toContain('name="sessionId" value="fr"');
    expect(form).toContain('name="sessionId" value="en"');
    expect(page).toContain("Cette session est annulée.");
    expect(page).toContain("https://schema.org/EventCancelled");
    expect([resend.status, resend.json?.error]).toEqual([409, "session-cancelled"]);
    expect(reminders.filter((row) => row.sessionId === "fr").map((row) => row.status)).toEqual([
      "skipped",
      "skipped",
      "skipped",
    ]);
    // Still there, as cancelled, in the export and the stats.
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    const cancelledColumn = header?.split(",").indexOf("sessionCancelled") ?? -1;
    expect(lines.map((line) => line.split(",")[cancelledColumn])).toEqual(["true", "true"]);
    expect(stats.sessions.map((row: { cancelledAt?: string }) => row.cancelledAt)).toEqual([
      cancelled.json.sessions[0].cancelledAt,
      undefined,
    ]);
    expect(toWaitlistedInAll).toBe(2); // the waiting list's mail and the cancellation
    expect([resaved.status, resaved.json.sessions[0].cancelledAt]).toEqual([
      200,
      cancelled.json.sessions[0].cancelledAt,
    ]);
  });

  it("registering again the address of a cancelled session's registrant moves nothing, says nothing more, and mails its owner the way to switch", async ({
    expect,
  }) => {
    const { id, confirmed } = await oneSeatTaken();
    await request("POST", `/admin/events/${id}/sessions/fr/cancel`, { body: {}, admin: true });
    await busSettled();
    // Their confirmation went out an hour ago (a mail is resent at most once every ten minutes).
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.registration(confirmed.registrationId),
        UpdateExpression: "SET lastConfirmationAt = :hourAgo",
        ExpressionAttributeValues: { ":hourAgo": new Date(Date.now() - 3_600_000).toISOString() },
      }),
    );

    const again = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ email: confirmed.email.toUpperCase(), sessionId: "en", language: "en" }),
    });
    // Anyone may post any address: the owner decides, from their own page. The first
    // confirmation, the cancellation, then the cancellation's news again with the way to switch.
    const mails = await waitForMails(outbox, confirmed.email, 3);
    const rows = (await request("GET", `/admin/events/${id}/registrations?limit=1000`, { admin: true })).json
      .registrations as { email: string; registrationId: string; sessionId: string; status: string }[];

    expect([again.status, again.json]).toEqual([200, { status: "already-registered" }]);
    expect(rows.filter((row) => row.email === confirmed.email)).toEqual([
      expect.objectContaining({ sessionId: "fr", status: "confirmed" }),
    ]);
    expect(mails).toHaveLength(3);
    expect(mails.at(-1)?.parsed.text).toMatch(/\/registrations\/\S+#switch-title/);
    expect(inviteField(mails.at(-1), "METHOD")).not.toBe("REQUEST");
  });

  it("moving a session by one hour mails each registrant one update (confirmed: the invite moved, same UID, higher SEQUENCE), and a description edit mails nobody", async ({
    expect,
  }) => {
    const { id, event, confirmed, waitlisted, confirmation } = await oneSeatTaken();
    const countMails = async () => [
      (await mailsTo(outbox, confirmed.email)).length,
      (await mailsTo(outbox, waitlisted.email)).length,
    ];

    event.description = { fr: "Une **autre** description", en: "Another description" };
    const described = await putEvent(id, event);
    await busSettled();
    const afterDescription = await countMails();
    const previousStart = event.sessions[0].startsAt;
    const newStart = new Date(Date.parse(previousStart) + 60 * 60_000).toISOString().replace(".000Z", "Z");
    event.sessions[0].startsAt = newStart;
    const moved = await putEvent(id, event);
    await waitUntil("both updates", countMails, (counts) => counts[0] === 2 && counts[1] === 2);
    // The same step again, handled here and delivered by the bus: claimed per registrant, it mails nobody.
    const detail = {
      eventId: id,
      sessionId: "fr",
      change: 1,
      previous: { ...event.sessions[0], startsAt: previousStart },
      changedAt: new Date().toISOString(),
    };
    await publishEvents([message(sessionChanged, detail)]);
    const direct = await sendSessionUpdates(detail, { timeLeftMs: () => 60_000 });
    await busSettled();
    const [update] = (await mailsTo(outbox, confirmed.email)).slice(1);
    const [waitlistUpdate] = (await mailsTo(outbox, waitlisted.email)).slice(1);

    expect([described.status, moved.status, direct]).toEqual([200, 200, "finished"]);
    expect(afterDescription).toEqual([1, 1]);
    expect(await countMails()).toEqual([2, 2]);
    expect(update?.parsed.subject).toMatch(/^Changement de votre session/);
    expect(inviteField(update, "METHOD")).toBe("REQUEST");
    expect(inviteField(update, "UID")).toBe(inviteField(confirmation, "UID"));
    expect(Number(inviteField(update, "SEQUENCE"))).toBeGreaterThan(
      Number(inviteField(confirmation, "SEQUENCE")),
    );
    expect(inviteField(update, "DTSTART")?.split(":").at(-1)).toBe(newStart.replace(/[-:]/g, ""));
    // The edited description reaches the calendar as plain text, its Markdown rendered when saved.
    expect(inviteField(update, "DESCRIPTION")).toMatch(/^Une autre description\\n/);
    expect(update?.parsed.text).toContain("Elle était prévue le");
    expect(update?.parsed.text).toContain("https://webinar.example.org/j/fr-secret");
    // The waitlisted registrant learns the new time, without the join link or an invite.
    expect(waitlistUpdate?.parsed.subject).toMatch(/^Change to the session you are waiting for/);
    expect(waitlistUpdate?.parsed.text).toContain("It was planned for");
    expect(waitlistUpdate?.parsed.text).not.toContain("fr-secret");
    expect(waitlistUpdate?.calendar).toBeUndefined();
  });

  it("a move whose announcement a failure after the save left undone is announced by the same PUT sent again with its old If-Match; another edit with that If-Match is refused", async ({
    expect,
  }) => {
    const { id, event, confirmed, waitlisted } = await oneSeatTaken();
    const read = await findEvent(id, true);
    if (!read) throw new Error("the event is not stored");
    const newStart = new Date(Date.parse(event.sessions[0].startsAt) + 60 * 60_000)
      .toISOString()
      .replace(".000Z", "Z");
    event.sessions[0].startsAt = newStart;
    // The save alone, as when the function failed right after it: nothing announced.
    const { id: _id, createdAt: _createdAt, updatedAt, ...settings } = read;
    const moved = settings.sessions.map((session, index) =>
      index === 0 ? { ...session, startsAt: newStart } : session,
    );
    await saveEvent(id, { ...settings, sessions: moved }, new Date(), read);
    const ifMatch = { "if-match": `"${updatedAt}"` };

    const again = await request("PUT", `/admin/events/${id}`, { body: event, admin: true, headers: ifMatch });
    const other = await request("PUT", `/admin/events/${id}`, {
      body: { ...event, title: { ...event.title, en: "Another title" } },
      admin: true,
      headers: ifMatch,
    });
    await Promise.all([waitForMails(outbox, confirmed.email, 2), waitForMails(outbox, waitlisted.email, 2)]);
    await busSettled();
    const [confirmedMails, waitlistedMails] = await Promise.all([
      mailsTo(outbox, confirmed.email),
      mailsTo(outbox, waitlisted.email),
    ]);

    expect(again.status).toBe(200);
    // One update each: the retry announced the move once, and the refused edit nothing.
    expect([confirmedMails.length, waitlistedMails.length]).toEqual([2, 2]);
    expect([other.status, other.json.error]).toEqual([409, "event-changed"]);
    expect(confirmedMails[1]?.parsed.subject).toMatch(/^Changement de votre session/);
    expect(waitlistedMails[1]?.parsed.subject).toMatch(/^Change to the session you are waiting for/);
  });

  it("two quick moves leave each registrant with the latest time, and a step of the older change stops", async ({
    expect,
  }) => {
    const { id, event } = await createEvent();
    const person = await register(id);
    await waitForMails(outbox, person.email);
    const start = Date.parse(event.sessions[0].startsAt);
    const moveTo = (hours: number) => {
      event.sessions[0].startsAt = new Date(start + hours * 60 * 60_000).toISOString().replace(".000Z", "Z");
      return putEvent(id, event);
    };

    const moves = [await moveTo(1), await moveTo(2)];
    const stale = await sendSessionUpdates(
      {
        eventId: id,
        sessionId: "fr",
        change: 1,
        previous: { ...event.sessions[0], startsAt: new Date(start).toISOString() },
        changedAt: new Date().toISOString(),
      },
      { timeLeftMs: () => 60_000 },
    );
    const updates = await waitUntil(
      "the update of the second move",
      async () => (await mailsTo(outbox, person.email)).slice(1),
      (mails) =>
        mails.some(
          (mail) =>
            inviteField(mail, "DTSTART")?.endsWith(event.sessions[0].startsAt.replace(/[-:]/g, "")) ?? false,
        ),
    );
    await busSettled();

    expect(moves.map((move) => move.status)).toEqual([200, 200]);
    expect(stale).toBe("superseded");
    const final = (await mailsTo(outbox, person.email)).slice(1);
    expect(final.length).toBeLessThanOrEqual(2); // the first move's update, if it went out before the second
    expect(inviteField(final.at(-1), "DTSTART")?.split(":").at(-1)).toBe(
      event.sessions[0].startsAt.replace(/[-:]/g, ""),
    );
    expect(updates.length).toBeGreaterThan(0);
  });
});
