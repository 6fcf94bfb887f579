import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DeleteCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, inject, it } from "vitest";
import * as z from "zod";
import { startTableStream } from "../../infra/local/table-stream.ts";
import { outboxRecords } from "../../infra/wiring.ts";
import { readAttendance, readImport } from "../../shared/attendance/attendance-store.ts";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { busMessageSchema } from "../../shared/bus/define-event.ts";
import { attendanceImported } from "../../shared/bus/events/attendance-imported.ts";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const fixture = (name: string) => readFile(join(import.meta.dirname, "..", "fixtures", "attendance", name));

/**
 * The Zoom webinar fixture with its people at `@<domain>.example.*`: the local stack lets one
 * mailbox register 5 times an hour, so tests that each register the fixture's people take their own.
 */
async function zoomReportAt(domain: string) {
  const text = (await fixture("zoom-webinar-attendee-report.csv")).toString("utf8");
  return Buffer.from(text.replace(/@example\.(org|net|com)/gi, `@${domain}.example.$1`), "utf8");
}

/** An event whose `en` session has these registrants (confirmed), emails in the case given. */
async function eventWith(emails: string[], event: object = sampleEvent()) {
  const id = uniqueId("attendance");
  await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  for (const email of emails) await register(id, email);
  return id;
}

async function register(id: string, email: string) {
  const response = await request("POST", `/events/${id}/registrations`, {
    body: {
      sessionId: "en",
      email,
      firstName: "Test",
      lastName: "Registrant",
      organisation: "City",
      organisationType: email.includes("example.org") ? "local-government" : "civil-society",
      country: "TN",
      consent: true,
    },
  });
  expect(response.status).toBe(201);
}

const upload = (id: string, body: Buffer, contentType = "text/csv") =>
  request("POST", `/admin/events/${id}/sessions/en/attendance`, { rawBody: body, contentType, admin: true });

type Row = {
  registrationId: string;
  email: string;
  attended: boolean | null;
  attendedMinutes: number | null;
};
const exportRows = async (id: string) =>
  new Map(
    (
      (await request("GET", `/admin/events/${id}/registrations`, { admin: true })).json.registrations as Row[]
    ).map((row) => [row.email.toLowerCase(), row]),
  );

/**
 * The `attendance.imported` messages about an event that are written from now on, read from the
 * table's stream as the outbox relay reads it (the local stack has no consumer of that event).
 */
async function announcementsOf(eventId: string) {
  const details: Record<string, unknown>[] = [];
  const stream = await startTableStream({
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? "",
    tableName,
    consumers: [
      {
        name: "attendance-announcements",
        filter: outboxRecords,
        target: async ({ Records }) => {
          for (const record of Records) {
            const { detailType, detail } = busMessageSchema.parse(
              JSON.parse(outboxImageSchema.parse(record).dynamodb.NewImage.message.S),
            );
            const fields = z.record(z.string(), z.unknown()).parse(detail);
            if (detailType === attendanceImported.detailType && fields.eventId === eventId)
              details.push(fields);
          }
        },
      },
    ],
    log: () => undefined,
  });
  return { details, drained: () => stream.drained(), close: () => stream.close() };
}
const outboxImageSchema = z.object({
  dynamodb: z.object({ NewImage: z.object({ message: z.object({ S: z.string() }) }) }),
});

describe("attendance import", () => {
  it("imports a Zoom webinar report: hosts left out, rejoins summed, no-shows absent, walk-ins unmatched", async () => {
    const id = await eventWith([
      "AMAL.TESTFIXTURE@example.org",
      "Jonas.Placeholder@Example.net",
      "marta.sample@example.com",
    ]);
    const before = await exportRows(id);

    const response = await upload(id, await fixture("zoom-webinar-attendee-report.csv"));

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ format: "zoom-webinar", people: 4, attended: 2, absent: 1 });
    expect(response.json.unmatched).toEqual([
      { email: "walk.in@example.org", name: expect.any(String), minutes: 15 },
    ]);
    expect(before.get("amal.testfixture@example.org")?.attended).toBeNull();
    const after = await exportRows(id);
    expect(after.get("amal.testfixture@example.org")).toMatchObject({ attended: true, attendedMinutes: 93 });
    expect(after.get("marta.sample@example.com")).toMatchObject({ attended: false, attendedMinutes: 0 });
  });

  it("lists as present but not registered only those who joined: not Zoom's registrant who never came", async () => {
    const domain = uniqueId("no-show");
    const id = await eventWith([
      `amal.testfixture@${domain}.example.org`,
      `jonas.placeholder@${domain}.example.net`,
    ]);

    const response = await upload(id, await zoomReportAt(domain));

    // Marta is in Zoom's list as "No", "--": neither registered here nor present.
    expect(response.json).toMatchObject({ people: 4, matched: 2, attended: 2, absent: 0 });
    expect(response.json.unmatched).toEqual([
      { email: `walk.in@${domain}.example.org`, name: expect.any(String), minutes: 15 },
    ]);
  });

  it("imports a Teams report (UTF-16, tabs): the organizer is no attendee, 30 seconds is not attending", async () => {
    const id = await eventWith([
      "Elodie.Lefevre@example.fr",
      "karim.demo@example.ma",
      "sofia.benali@example.tn",
      "nadia.absent@example.org",
    ]);

    const response = await upload(
      id,
      await fixture("teams-attendance-report.csv"),
      "application/octet-stream",
    );

    expect(response.json).toMatchObject({
      format: "teams",
      people: 3,
      matched: 3,
      attended: 2,
      absent: 2,
      unmatched: [],
    });
    const rows = await exportRows(id);
    expect(rows.get("elodie.lefevre@example.fr")?.attendedMinutes).toBeCloseTo(44.8 + 36.25, 1);
    expect(rows.get("sofia.benali@example.tn")?.attended).toBe(false);
  });

  it("takes the report as a multipart upload too", async () => {
    const id = await eventWith(["karim.demo@example.ma"]);
    const form = new FormData();
    form.append("file", new Blob([await fixture("teams-attendance-report.csv")]), "report.csv");

    const response = await fetch(`${inject("api")}/admin/events/${id}/sessions/en/attendance`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${inject("adminToken")}` },
    });

    expect(response.status).toBe(200);
    expect(((await response.json()) as { format: string }).format).toBe("teams");
  });

  it("changes nothing when the same file comes again, and replaces the import with a corrected file", async () => {
    const id = await eventWith(["amal.testfixture@example.org", "karim.demo@example.ma"]);
    const zoom = await fixture("zoom-webinar-attendee-report.csv");
    const first = await upload(id, zoom);
    const imported = await readImport(id, "en");

    const again = await upload(id, zoom);
    // Nothing rewritten, so nothing published again either (the import item comes with both).
    expect(await readImport(id, "en")).toEqual(imported);
    const corrected = await upload(
      id,
      await fixture("teams-attendance-report.csv"),
      "application/octet-stream",
    );
    const rows = await exportRows(id);

    expect(again.json).toEqual(first.json);
    expect(corrected.json.format).toBe("teams");
    expect(rows.get("amal.testfixture@example.org")).toMatchObject({ attended: false, attendedMinutes: 0 });
    expect(rows.get("karim.demo@example.ma")).toMatchObject({ attended: true });
  });

  it("announces an import once when a retried upload overlaps the first, and a corrected report again", async () => {
    const id = await eventWith(["amal.testfixture@example.org", "karim.demo@example.ma"]);
    const zoom = await fixture("zoom-webinar-attendee-report.csv");
    const announced = await announcementsOf(id);
    try {
      const answers = await Promise.all([upload(id, zoom), upload(id, zoom)]);
      const again = await upload(id, zoom);
      const corrected = await upload(
        id,
        await fixture("teams-attendance-report.csv"),
        "application/octet-stream",
      );
      await announced.drained();

      // The retry came while the first was being written (409, try again), or after it.
      expect(answers.map((answer) => answer.status).sort()).toEqual(
        answers.some((answer) => answer.status === 409) ? [200, 409] : [200, 200],
      );
      const first = answers.find((answer) => answer.status === 200) as (typeof answers)[number];
      for (const answer of [...answers, again])
        if (answer.status === 200) expect(answer.json).toEqual(first.json);
      const detailOf = ({ json: { rows, unmatched, ...counts } }: typeof first) => ({
        eventId: id,
        sessionId: "en",
        ...counts,
        unmatched: unmatched.length,
      });
      expect(announced.details).toEqual([detailOf(first), detailOf(corrected)]);
    } finally {
      await announced.close();
    }
  });

  it("refuses another report while one is being imported (409), then takes it over from an import that died, leaving none of its pages", async () => {
    // Nobody registered: the report's people are kept as records all the same.
    const id = await eventWith([]);
    const zoom = await fixture("zoom-webinar-attendee-report.csv");
    const importKey = keys.attendanceImport(id, "en");
    const markOf = (writingUntil: number) => ({
      ...importKey,
      writing: "id-of-another-upload",
      writingUntil: new Date(writingUntil).toISOString(),
    });
    // Another report is being imported: its mark on the import item, and a page already written.
    await db.send(new PutCommand({ TableName: tableName, Item: markOf(Date.now() + 60_000) }));
    const ghost = { email: "ghost@example.org", name: "Ghost", minutes: 99, attended: true };
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.attendancePage(id, "en", 3), records: [ghost] },
      }),
    );

    const refused = await upload(id, zoom);
    const whileRunning = await readAttendance(id, "en");
    // That import died: its lease has ended.
    await db.send(new PutCommand({ TableName: tableName, Item: markOf(Date.now() - 1_000) }));
    const taken = await upload(id, zoom);

    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ error: "import-running" });
    expect(whileRunning).toEqual([ghost]);
    expect(taken.status).toBe(200);
    const records = await readAttendance(id, "en");
    expect(records.map((record) => record.email)).not.toContain(ghost.email);
    expect(records.length).toBeGreaterThan(0);
    expect(await readImport(id, "en")).toMatchObject({ counts: { people: taken.json.people } });
  });

  it("applies the event's threshold as it is now when the same file comes again", async () => {
    const domain = uniqueId("threshold");
    const strict = { ...sampleEvent(), attendanceMinMinutes: 94 };
    const id = await eventWith(
      [`amal.testfixture@${domain}.example.org`, `jonas.placeholder@${domain}.example.net`],
      strict,
    );
    const zoom = await zoomReportAt(domain);
    const first = await upload(id, zoom);
    expect(first.json).toMatchObject({ attended: 1, absent: 1 });
    expect((await exportRows(id)).get(`amal.testfixture@${domain}.example.org`)).toMatchObject({
      attended: false,
      attendedMinutes: 93,
    });

    const put = await request("PUT", `/admin/events/${id}`, {
      body: { ...strict, attendanceMinMinutes: 5 },
      admin: true,
    });
    expect(put.status).toBe(200);
    const again = await upload(id, zoom);

    expect(again.json).toMatchObject({ attended: 2, absent: 0 });
    expect((await exportRows(id)).get(`amal.testfixture@${domain}.example.org`)).toMatchObject({
      attended: true,
    });
  });

  it("matches people who registered since the same file was first imported", async () => {
    const domain = uniqueId("late");
    const id = await eventWith([`amal.testfixture@${domain}.example.org`]);
    const zoom = await zoomReportAt(domain);
    const first = await upload(id, zoom);
    expect(first.json.unmatched.map((person: { email: string }) => person.email)).toContain(
      `walk.in@${domain}.example.org`,
    );

    await register(id, `walk.in@${domain}.example.org`);
    const again = await upload(id, zoom);

    expect(again.json).toMatchObject({ matched: 2, attended: 2 });
    expect(again.json.unmatched.map((person: { email: string }) => person.email)).not.toContain(
      `walk.in@${domain}.example.org`,
    );
    expect((await exportRows(id)).get(`walk.in@${domain}.example.org`)).toMatchObject({
      attended: true,
      attendedMinutes: 15,
    });
  });

  it("does not bring back a registrant erased since, whichever report of the session comes after", async () => {
    const domain = uniqueId("erased");
    const jonas = `jonas.placeholder@${domain}.example.net`;
    const id = await eventWith([`amal.testfixture@${domain}.example.org`, jonas]);
    const zoom = await zoomReportAt(domain);
    const first = await upload(id, zoom);
    const erase = await request(
      "DELETE",
      `/admin/events/${id}/registrations/${(await exportRows(id)).get(jonas)?.registrationId}`,
      { admin: true },
    );
    expect(erase.status).toBe(204);
    // A second download of the same report: Zoom dates it anew, so its bytes differ.
    const download = Buffer.from(
      zoom.toString("utf8").replace("Jul 31, 2019 12:41 PM", "Aug 1, 2019 09:02 AM"),
      "utf8",
    );

    const reports = [await upload(id, zoom), await upload(id, download)];

    expect(first.json).toMatchObject({ people: 4, matched: 2 });
    for (const again of reports) {
      // Jonas is neither listed nor counted: the summary shows nobody it does not list.
      expect(again.json).toMatchObject({ people: 3, matched: 1, attended: 1 });
      expect(again.json.unmatched).toEqual([
        { email: `walk.in@${domain}.example.org`, name: expect.any(String), minutes: 15 },
      ]);
    }
    expect(JSON.stringify(await readAttendance(id, "en"))).not.toContain(jonas);

    // Registered again, he is a registrant like any other.
    await register(id, jonas);
    const registeredAgain = await upload(id, download);
    expect(registeredAgain.json).toMatchObject({ people: 4, matched: 2, attended: 2 });
  });

  it("does not bring back, with the same file, a registrant erased before erasures left their mark", async () => {
    const domain = uniqueId("erased-before");
    const jonas = `jonas.placeholder@${domain}.example.net`;
    const id = await eventWith([`amal.testfixture@${domain}.example.org`, jonas]);
    const zoom = await zoomReportAt(domain);
    await upload(id, zoom);
    const erase = await request(
      "DELETE",
      `/admin/events/${id}/registrations/${(await exportRows(id)).get(jonas)?.registrationId}`,
      { admin: true },
    );
    expect(erase.status).toBe(204);
    // As an erasure made by an earlier version left things: no mark, only the stored records.
    const { Items: marks = [] } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": `EVENT#${id}`, ":prefix": "ERASED#" },
      }),
    );
    expect(marks).toHaveLength(1);
    for (const mark of marks) {
      await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: mark.pk, sk: mark.sk } }));
    }

    const again = await upload(id, zoom);

    expect(again.json).toMatchObject({ people: 3, matched: 1 });
    expect(JSON.stringify(again.json)).not.toContain(jonas);
  });

  it("refuses a report once the event's retention has ended: the people it names are deleted", async () => {
    const id = uniqueId("retention-ended");
    const ended = { ...sampleEvent(-24 * 3), retentionDays: 1 };
    expect((await request("PUT", `/admin/events/${id}`, { body: ended, admin: true })).status).toBe(201);

    const response = await upload(id, await fixture("zoom-webinar-attendee-report.csv"));

    expect(response.status).toBe(409);
    expect(response.json.error).toBe("retention-ended");
    expect(await readImport(id, "en")).toBeUndefined();
  });

  it("refuses a text body that is not UTF-8, whose bytes are lost on the way, and reads it sent as bytes", async () => {
    const id = await eventWith([]);

    const refused = [
      await upload(id, await fixture("teams-attendance-report.csv"), "text/csv"),
      await upload(id, await fixture("generic-semicolon-fr-1252.csv"), "text/plain"),
    ];
    const importedMeanwhile = await readImport(id, "en");
    const taken = await upload(
      id,
      await fixture("generic-semicolon-fr-1252.csv"),
      "application/octet-stream",
    );

    for (const response of refused) {
      expect(response.status).toBe(415);
      expect(response.json).toEqual({
        error: "unsupported-media-type",
        message: expect.stringContaining("send the file as application/octet-stream or multipart/form-data"),
      });
    }
    expect(importedMeanwhile).toBeUndefined();
    expect(taken.json.unmatched).toEqual([
      { email: "elodie.lefevre@example.fr", name: "Lefèvre, Élodie", minutes: 0 },
      { email: "aissatou.ndiaye@example.sn", name: "N’Diaye Aïssatou", minutes: 0 },
    ]);
  });

  it("answers 422 for a PDF, an empty file and a CSV without emails, and writes nothing", async () => {
    const id = await eventWith(["amal.testfixture@example.org"]);

    const responses = [
      await upload(id, await fixture("attendance-report.pdf"), "application/octet-stream"),
      await upload(id, Buffer.alloc(0)),
      await upload(id, await fixture("no-email-column.csv")),
    ];

    for (const response of responses) {
      expect(response.status).toBe(422);
      expect(response.json.error).toBe("unreadable-report");
    }
    expect(responses[2]?.json.message).toMatch(/email/i);
    expect((await exportRows(id)).get("amal.testfixture@example.org")?.attended).toBeNull();
  });

  it("gives per-session stats with attendance and breakdowns", async () => {
    const id = await eventWith([
      "amal.testfixture@example.org",
      "jonas.placeholder@example.net",
      "marta.sample@example.com",
    ]);
    await upload(id, await fixture("zoom-webinar-attendee-report.csv"));

    const { json } = await request("GET", `/admin/events/${id}/stats`, { admin: true });
    const en = json.sessions.find((session: { sessionId: string }) => session.sessionId === "en");
    const fr = json.sessions.find((session: { sessionId: string }) => session.sessionId === "fr");

    expect(en).toMatchObject({
      registered: 3,
      confirmed: 3,
      waitlisted: 0,
      cancelled: 0,
      attended: 2,
      absent: 1,
    });
    expect(en.attendanceRate).toBeCloseTo(2 / 3, 2);
    expect(en.byOrganisationType).toEqual({
      "local-government": { registered: 1, attended: 1 },
      "civil-society": { registered: 2, attended: 1 },
    });
    expect(en.byCountry).toEqual({ TN: { registered: 3, attended: 2 } });
    expect(fr).toMatchObject({ registered: 0, attended: null, attendanceRate: null });
  });
});
