import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const fixture = (name: string) => readFile(join(import.meta.dirname, "..", "fixtures", "attendance", name));

/** An event whose `en` session has these registrants (confirmed), emails in the case given. */
async function eventWith(emails: string[]) {
  const id = uniqueId("attendance");
  await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
  for (const email of emails) {
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
  return id;
}

const upload = (id: string, body: Buffer, contentType = "text/csv") =>
  request("POST", `/admin/events/${id}/sessions/en/attendance`, { rawBody: body, contentType, admin: true });

type Row = { email: string; attended: boolean | null; attendedMinutes: number | null };
const exportRows = async (id: string) =>
  new Map(
    (
      (await request("GET", `/admin/events/${id}/registrations`, { admin: true })).json.registrations as Row[]
    ).map((row) => [row.email.toLowerCase(), row]),
  );

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
    const id = await eventWith(["amal.testfixture@example.org", "jonas.placeholder@example.net"]);

    const response = await upload(id, await fixture("zoom-webinar-attendee-report.csv"));

    // Marta is in Zoom's list as "No", "--": neither registered here nor present.
    expect(response.json).toMatchObject({ people: 4, matched: 2, attended: 2, absent: 0 });
    expect(response.json.unmatched).toEqual([
      { email: "walk.in@example.org", name: expect.any(String), minutes: 15 },
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

    const again = await upload(id, zoom);
    const corrected = await upload(id, await fixture("teams-attendance-report.csv"));
    const rows = await exportRows(id);

    expect(again.json).toEqual(first.json);
    expect(corrected.json.format).toBe("teams");
    expect(rows.get("amal.testfixture@example.org")).toMatchObject({ attended: false, attendedMinutes: 0 });
    expect(rows.get("karim.demo@example.ma")).toMatchObject({ attended: true });
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
