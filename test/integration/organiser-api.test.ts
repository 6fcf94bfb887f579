import { randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import ExcelJS from "exceljs";
import { describe, expect, inject, it } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { message } from "../../shared/bus/define-event.ts";
import { registrationPromoted } from "../../shared/bus/events/registration-promoted.ts";
import { publishEvents } from "../../shared/bus/publish.ts";
import { eventPartitionKeys, getEvent } from "../../shared/events/event-store.ts";
import { changeStatus, fixRecipients, getMailing } from "../../shared/mailings/mailing-store.ts";
import { resolveRecipients } from "../../shared/mailings/recipients.ts";
import { sendMailingBatch } from "../../shared/mailings/send-batch.ts";
import { mailsTo, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");
const admin = { admin: true };

async function createEvent(startsInDays = 20, prefix = "org") {
  const id = uniqueId(prefix);
  const response = await request("PUT", `/admin/events/${id}`, {
    body: sampleEvent(startsInDays * 24),
    admin: true,
  });
  expect(response.status).toBe(201);
  return id;
}

async function register(eventId: string, overrides: Record<string, unknown> = {}) {
  const response = await request("POST", `/events/${eventId}/registrations`, { body: registrant(overrides) });
  expect(response.status).toBe(201);
  return response.json.registrationId as string;
}

/** An event whose English session has one seat. */
async function eventWithOneEnglishSeat(prefix: string) {
  const id = uniqueId(prefix);
  const event = sampleEvent();
  event.sessions[1].capacity = 1;
  await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  return id;
}

/** An event whose English seat is taken, and a registrant on its waiting list (their waitlist mail received). */
async function seatTakenAndOneWaiting(prefix: string) {
  const id = await eventWithOneEnglishSeat(prefix);
  const seatedId = await register(id, { sessionId: "en", language: "en" });
  const waiting = `${uniqueId("waiting")}@example.org`;
  const waitingId = await register(id, { email: waiting, sessionId: "en", language: "en" });
  await waitForMails(outbox, waiting, 1);
  return { id, seatedId, waiting, waitingId };
}

/** A mail's subject without the event's title (what follows the colon). */
const subjectOf = (mail: OutboxMail) => (mail.parsed.subject ?? "").replace(/:.*/, "");

const mailingBody = (name = "Thank you") => ({
  name,
  subject: { fr: "Merci {{firstName}}", en: "Thank you {{firstName}}" },
  body: { fr: "Bonjour {{firstName}}", en: "Hello {{firstName}}" },
});

describe("organiser routes of the console", () => {
  it("lists events in pages, latest-ending first, and refuses a crafted cursor", async () => {
    const later = await createEvent(400);
    const sooner = await createEvent(300);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request("GET", `/admin/events?limit=2${cursor ? `&cursor=${cursor}` : ""}`, admin);
      expect(page.status).toBe(200);
      expect(page.json.events.length).toBeLessThanOrEqual(2);
      ids.push(...page.json.events.map((event: { id: string }) => event.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    const crafted = Buffer.from(JSON.stringify({ pk: "x", sk: "y", gsi1pk: "OTHER", gsi1sk: "z" })).toString(
      "base64url",
    );
    const refused = await request("GET", `/admin/events?cursor=${crafted}`, admin);
    const garbage = await request("GET", "/admin/events?cursor=%25%25", admin);

    expect(ids.indexOf(later)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(later)).toBeLessThan(ids.indexOf(sooner));
    expect(new Set(ids).size).toBe(ids.length);
    expect([refused.status, garbage.status]).toEqual([400, 400]);
    expect(refused.json.issues[0].path).toBe("cursor");
  });

  it("deletes an event nobody registered for, and refuses to delete one with registrations", async () => {
    const empty = await createEvent();
    const taken = await createEvent();
    await register(taken);

    const deleted = await request("DELETE", `/admin/events/${empty}`, admin);
    const gone = await request("GET", `/admin/events/${empty}`, admin);
    const refused = await request("DELETE", `/admin/events/${taken}`, admin);
    const kept = await request("GET", `/admin/events/${taken}`, admin);

    expect([deleted.status, gone.status]).toEqual([204, 404]);
    expect([refused.status, refused.json.error]).toEqual([409, "event-has-registrations"]);
    expect(kept.status).toBe(200);
  });

  it("refuses to delete an event that a registration reached after the look for registrations", async () => {
    const id = await createEvent();
    // What a registration's transaction writes with the registration: its session's counter. Here
    // alone, as the delete meets it when the registration came in between its look and its write.
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.sessionCounters(id, "fr"),
        UpdateExpression: "ADD confirmed :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );

    const refused = await request("DELETE", `/admin/events/${id}`, admin);
    const kept = await request("GET", `/admin/events/${id}`, admin);

    expect([refused.status, refused.json.error]).toEqual([409, "event-has-registrations"]);
    expect(kept.status).toBe(200);
  });

  it("clears what a delete that failed after the event item left behind when sent again, and knows no event it never had", async () => {
    const id = await createEvent();
    // As when the clean-up failed after the event item was deleted: its counters and reminders stay.
    await db.send(new DeleteCommand({ TableName: tableName, Key: keys.event(id) }));

    const again = await request("DELETE", `/admin/events/${id}`, admin);
    const left = await eventPartitionKeys(id);
    const never = await request("DELETE", `/admin/events/${uniqueId("never")}`, admin);

    expect(again.status).toBe(204);
    expect(left).toEqual([]);
    expect(never.status).toBe(404);
  });

  it("lists, edits and deletes draft mailings, counts a segment, and refuses to edit one being sent", async () => {
    const id = await createEvent();
    await register(id, { sessionId: "fr" });
    await register(id, { sessionId: "en", language: "en" });
    const first = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody("First"),
      admin: true,
    });
    const second = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody("Second"),
      admin: true,
    });

    const count = await request("POST", `/admin/events/${id}/segment-count`, {
      body: { segment: { sessions: ["en"] } },
      admin: true,
    });
    const unknownSession = await request("POST", `/admin/events/${id}/segment-count`, {
      body: { segment: { sessions: ["de"] } },
      admin: true,
    });
    const edited = await request("PUT", `/admin/events/${id}/mailings/${first.json.mailingId}`, {
      body: { ...mailingBody("First, edited"), segment: { sessions: ["fr"] } },
      admin: true,
    });
    const listed = await request("GET", `/admin/events/${id}/mailings`, admin);
    const deleted = await request("DELETE", `/admin/events/${id}/mailings/${second.json.mailingId}`, admin);
    const sent = await request("POST", `/admin/events/${id}/mailings/${first.json.mailingId}/send`, admin);
    const lateEdit = await request("PUT", `/admin/events/${id}/mailings/${first.json.mailingId}`, {
      body: mailingBody("Too late"),
      admin: true,
    });
    const lateDelete = await request("DELETE", `/admin/events/${id}/mailings/${first.json.mailingId}`, admin);
    const after = await request("GET", `/admin/events/${id}/mailings`, admin);

    expect(count.json).toEqual({ recipients: 1 });
    expect(unknownSession.status).toBe(400);
    expect(edited.json).toEqual({ mailingId: first.json.mailingId, recipients: 1 });
    expect(listed.json.mailings.map((mailing: { name: string }) => mailing.name)).toEqual([
      "Second",
      "First, edited",
    ]);
    expect(deleted.status).toBe(204);
    expect(sent.status).toBe(202);
    expect([lateEdit.status, lateDelete.status]).toEqual([409, 409]);
    expect(after.json.mailings.map((mailing: { name: string }) => mailing.name)).toEqual(["First, edited"]);
  });

  it("filters registrations by session, status, search, organisation type, country and attendance, and exports them as a typed workbook", async () => {
    const id = await createEvent();
    await register(id, {
      sessionId: "fr",
      firstName: "Hélène",
      organisation: "Ville de Gênes",
      country: "IT",
    });
    await register(id, {
      sessionId: "en",
      language: "en",
      firstName: "John",
      organisation: "City of Malmö",
      organisationType: "civil-society",
      country: "SE",
    });
    const list = (query: string) => request("GET", `/admin/events/${id}/registrations?${query}`, admin);

    const bySession = await list("session=en");
    const bySearch = await list("search=g%C3%AAnes");
    // Without the accents, and words in any order across name and organisation.
    const bySearchUnaccented = await list("search=HELENE%20genes");
    const byWords = await list(`search=${encodeURIComponent("malmö john")}`);
    const byStatus = await list("status=waitlisted");
    const badSession = await list("session=de");
    const byType = await list("organisationType=civil-society");
    const byCountry = await list("country=IT");
    const attendanceUnknown = await list("attendance=unknown");
    const attendedOnly = await list("attendance=attended");
    const badCountry = await list("country=italy");
    // A cursor kept while the filter changed (the console's list on page 2): refused, not a 500.
    const firstPage = await list("limit=1");
    const otherFilter = await list(`status=waitlisted&cursor=${firstPage.json.nextCursor}`);
    const otherSearch = await list(`search=john&cursor=${firstPage.json.nextCursor}`);
    const samePage2 = await list(`limit=1&cursor=${firstPage.json.nextCursor}`);
    const xlsx = await fetch(`${inject("api")}/admin/events/${id}/registrations?format=xlsx&session=fr`, {
      headers: { authorization: `Bearer ${inject("adminToken")}` },
    });
    const csv = await list("format=csv");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const [sheet] = workbook.worksheets;
    if (!sheet) throw new Error("the workbook has no sheet");
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const column = (name: string) => row[header.indexOf(name)];

    expect(bySession.json.registrations.map((r: { firstName: string }) => r.firstName)).toEqual(["John"]);
    expect(bySearch.json.registrations.map((r: { firstName: string }) => r.firstName)).toEqual(["Hélène"]);
    expect(bySearchUnaccented.json.registrations.map((r: { firstName: string }) => r.firstName)).toEqual([
      "Hélène",
    ]);
    expect(byWords.json.registrations.map((r: { firstName: string }) => r.firstName)).toEqual(["John"]);
    expect(byStatus.json.registrations).toEqual([]);
    expect(badSession.status).toBe(400);
    expect(firstPage.json.nextCursor).toEqual(expect.any(String));
    expect([otherFilter.status, otherFilter.json.issues?.[0]?.path]).toEqual([400, "cursor"]);
    expect([otherSearch.status, samePage2.status]).toEqual([400, 200]);
    const names = (page: { json: { registrations: { firstName: string }[] } }) =>
      page.json.registrations.map((r) => r.firstName).sort();
    expect(names(byType)).toEqual(["John"]);
    expect(names(byCountry)).toEqual(["Hélène"]);
    // No attendance import yet: both are "unknown", neither "attended".
    expect(names(attendanceUnknown)).toEqual(["Hélène", "John"]);
    expect(names(attendedOnly)).toEqual([]);
    expect(badCountry.status).toBe(400);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    expect(sheet.rowCount).toBe(2);
    expect(column("firstName")).toBe("Hélène");
    expect(column("createdAt")).toBeInstanceOf(Date);
    expect(column("updates")).toBe(false);
    // Before any import, attendance is unknown (empty), never "false".
    expect(column("attended")).toBeUndefined();
    expect(csv.text.split("\n")[1]).toContain(",false,");
  });

  it("moves a mailing's counts while a page is being sent, not only at its end", async () => {
    const id = await createEvent();
    for (let index = 0; index < 30; index++) await register(id, { sessionId: "fr" });
    const { json } = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    const mailing = { eventId: id, mailingId: json.mailingId as string };
    // Started by hand, not through the bus, so this test runs the one step and watches it.
    await changeStatus(mailing, ["draft"], "sending", new Date());
    const stored = await getMailing(id, mailing.mailingId);
    await fixRecipients(stored, await resolveRecipients(await getEvent(id), stored.segment), new Date());

    const seen = new Set<number>();
    let sending = true;
    const watching = (async () => {
      while (sending) seen.add((await getMailing(id, mailing.mailingId)).sent);
    })();
    await sendMailingBatch(
      { ...mailing, page: 0, offset: 0 },
      { timeLeftMs: () => 60_000, concurrency: 2, progressEveryMs: 0 },
    );
    sending = false;
    await watching;

    const between = [...seen].filter((sent) => sent > 0 && sent < 30);
    expect(between.length).toBeGreaterThanOrEqual(3);
    expect((await getMailing(id, mailing.mailingId)).sent).toBe(30);
  });

  it("cancels, restores, moves and resends for one registrant, each mailed once, seats kept exact", async () => {
    const id = await eventWithOneEnglishSeat("actions");
    const email = `${uniqueId("person")}@example.org`;
    const registrationId = await register(id, { email, sessionId: "fr" });
    await register(id, { sessionId: "en", language: "en" }); // takes the one seat of "en"
    await waitForMails(outbox, email, 1);
    const action = (name: string, body?: unknown) =>
      request("POST", `/admin/events/${id}/registrations/${registrationId}/${name}`, { body, admin: true });

    // Each mail is written for the registration as it is when it goes out (the outbox is relayed
    // from the table's stream, a moment later): each action waits for the mail of the one before.
    const cancelled = await action("cancel");
    await waitForMails(outbox, email, 2);
    const restored = await action("restore");
    const restoredAgain = await action("restore");
    await waitForMails(outbox, email, 3);
    const moved = await action("move", { sessionId: "en" });
    await waitForMails(outbox, email, 4);
    const resent = await action("resend");
    const unknown = await action("forget");
    const noSession = await action("move", {});
    await busSettled();
    const detail = await request("GET", `/admin/events/${id}/registrations/${registrationId}`, admin);
    const otherEvent = await request(
      "GET",
      `/admin/events/${await createEvent()}/registrations/${registrationId}`,
      admin,
    );
    const subjects = (await mailsTo(outbox, email)).map((mail) => mail.parsed.subject ?? "");

    expect([cancelled.json.status, restored.json.status]).toEqual(["cancelled", "confirmed"]);
    expect([restoredAgain.status, restoredAgain.json.error]).toEqual([409, "registration-not-cancelled"]);
    // "en" is full: the move puts them on its waiting list.
    expect([moved.json.sessionId, moved.json.status]).toEqual(["en", "waitlisted"]);
    expect(resent.status).toBe(200);
    expect([unknown.status, noSession.status, otherEvent.status]).toEqual([400, 400, 404]);
    expect(detail.json.registration).toMatchObject({ sessionId: "en", status: "waitlisted", email });
    expect(detail.json.deliveries.map((delivery: { kind: string }) => delivery.kind)).toEqual([
      "confirmation",
      "cancellation",
      "confirmation",
      "waitlist",
      "waitlist",
    ]);
    // Confirmation, cancellation, confirmation again, then the waiting list of "en", twice.
    expect(subjects).toHaveLength(5);
    expect(
      subjects.filter((subject) => /Registration cancelled|Inscription annulée/.test(subject)),
    ).toHaveLength(1);
  });

  it("mails a registrant cancelled again after a restore, and one promoted again after one, each time", async () => {
    const id = await eventWithOneEnglishSeat("again");
    const seated = `${uniqueId("seated")}@example.org`;
    const waiting = `${uniqueId("waiting")}@example.org`;
    const seatedId = await register(id, { email: seated, sessionId: "en", language: "en" });
    await waitForMails(outbox, seated, 1);
    const waitingId = await register(id, { email: waiting, sessionId: "en", language: "en" });
    await waitForMails(outbox, waiting, 1);
    const action = async (registrationId: string, name: string) => {
      const response = await request(
        "POST",
        `/admin/events/${id}/registrations/${registrationId}/${name}`,
        admin,
      );
      expect(response.status).toBe(200);
    };

    // Each step waits for the mails of the one before: each is written for the registration as it
    // is when it goes out.
    await action(seatedId, "cancel"); // the waiting one takes the seat
    await waitForMails(outbox, seated, 2);
    await waitForMails(outbox, waiting, 2);
    await action(waitingId, "cancel");
    await waitForMails(outbox, waiting, 3);
    await action(seatedId, "restore"); // the seat is free again
    await waitForMails(outbox, seated, 3);
    await action(waitingId, "restore"); // the seat is taken: the waiting list
    await waitForMails(outbox, waiting, 4);
    await action(seatedId, "cancel"); // cancelled again: the waiting one is promoted again
    await busSettled();
    const subjects = async (email: string) => (await mailsTo(outbox, email)).map(subjectOf);

    expect(await subjects(seated)).toEqual([
      "Registration confirmed",
      "Registration cancelled",
      "Registration confirmed",
      "Registration cancelled",
    ]);
    expect(await subjects(waiting)).toEqual([
      "Waiting list",
      "A seat became free",
      "Registration cancelled",
      "Waiting list",
      "A seat became free",
    ]);
  });

  it("mails nothing more for a late copy of a promotion that arrives after a resend", async () => {
    const { id, seatedId, waiting, waitingId } = await seatTakenAndOneWaiting("late-copy");
    await request("POST", `/admin/events/${id}/registrations/${seatedId}/cancel`, admin);
    await waitForMails(outbox, waiting, 2); // a seat became free
    await request("POST", `/admin/events/${id}/registrations/${waitingId}/resend`, admin);
    await waitForMails(outbox, waiting, 3); // the confirmation again

    // The bus delivers at least once: the promotion's message again, as it was written.
    await publishEvents([
      message(registrationPromoted, {
        eventId: id,
        sessionId: "en",
        registrationId: waitingId,
        confirmationNumber: 1,
      }),
    ]);
    await busSettled();
    const subjects = (await mailsTo(outbox, waiting)).map(subjectOf);

    expect(subjects).toEqual(["Waiting list", "A seat became free", "Registration confirmed"]);
  });

  it("promotes the next one waiting when the index still lists as waiting a registrant who no longer is", async () => {
    const { id, seatedId, waiting, waitingId } = await seatTakenAndOneWaiting("index-lag");
    // What a lagging index shows on AWS: a registrant promoted a moment ago, still listed as the
    // oldest waiting (its index keys say waitlisted; the table says confirmed).
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.registration(waitingId) }),
    );
    const lagging = {
      ...Item,
      registrationId: randomUUID(),
      status: "confirmed",
      createdAt: "2000-01-01T00:00:00.000Z",
    };
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...lagging,
          ...keys.registration(lagging.registrationId),
          gsi1sk: `STATUS#waitlisted#${lagging.createdAt}#${lagging.registrationId}`,
        },
      }),
    );

    await request("POST", `/admin/events/${id}/registrations/${seatedId}/cancel`, admin);
    const subjects = await waitForMails(outbox, waiting, 2);
    await busSettled();
    const promoted = await request("GET", `/admin/events/${id}/registrations/${waitingId}`, admin);

    expect(subjects.map(subjectOf)).toEqual(["Waiting list", "A seat became free"]);
    expect(promoted.json.registration.status).toBe("confirmed");
  });
});
