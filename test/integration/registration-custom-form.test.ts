import ExcelJS from "exceljs";
import { describe, expect, inject, it } from "vitest";
import { type EventInput, eventInputSchema } from "../../shared/domain/event.ts";
import { exportFormOf, registrationsCsv } from "../../shared/registrations/export-registrations.ts";
import type { ExportRow } from "../../shared/registrations/list-registrations.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const admin = { admin: true } as const;

/** The issue's example: a required single choice and an optional long text. */
const form: EventInput["form"] = {
  intro: { fr: "Merci de répondre aux deux questions.", en: "Please answer both questions." },
  questions: [
    {
      id: "topic",
      type: "single-choice",
      required: true,
      label: { fr: "Thème qui vous intéresse", en: "Topic you care about" },
      choices: [
        { id: "housing", label: { fr: "Logement", en: "Housing" } },
        { id: "schooling", label: { fr: "Scolarité", en: "Schooling" } },
      ],
    },
    { id: "remarks", type: "long-text", maxLength: 500, label: { fr: "Remarques", en: "Remarks" } },
  ],
};

async function createEvent(extra: Partial<EventInput> = {}) {
  const id = uniqueId("custom-form");
  const saved = await request("PUT", `/admin/events/${id}`, {
    body: { ...sampleEvent(), ...extra },
    ...admin,
  });
  expect(saved.status).toBe(201);
  return id;
}

/** A valid registrant as the HTML form posts it, with more fields. */
const formPost = (fields: Record<string, string> = {}) => ({
  rawBody: new URLSearchParams({
    ...Object.fromEntries(
      Object.entries(registrant({ consent: "on" })).map(([key, value]) => [key, String(value)]),
    ),
    ...fields,
  }).toString(),
  contentType: "application/x-www-form-urlencoded",
});

const hourMs = 60 * 60 * 1000;

describe("an event's own registration form", () => {
  it("asks its questions in each language, names a required one left out, and stores, exports and counts the answers", async () => {
    const id = await createEvent({ form });

    const french = await request("GET", `/events/${id}/register?lang=fr`);
    const english = await request("GET", `/events/${id}/register?lang=en`);
    const missing = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ answers: { remarks: "Rien" } }),
    });
    const missingInForm = await request(
      "POST",
      `/events/${id}/registrations?lang=fr`,
      formPost({ "answers.remarks": "Bonjour" }),
    );
    const json = await request("POST", `/events/${id}/registrations`, {
      body: registrant({
        firstName: "Hélène",
        answers: { topic: "housing", remarks: "Des idées\nà partager" },
      }),
    });
    const posted = await request(
      "POST",
      `/events/${id}/registrations?lang=fr`,
      formPost({ firstName: "Karim", "answers.topic": "schooling" }),
    );
    const csv = await request("GET", `/admin/events/${id}/registrations?format=csv`, admin);
    const stats = await request("GET", `/admin/events/${id}/stats`, admin);
    const xlsx = await fetch(`${inject("api")}/admin/events/${id}/registrations?format=xlsx`, {
      headers: { authorization: `Bearer ${inject("adminToken")}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const [sheet] = workbook.worksheets;
    if (!sheet) throw new Error("the workbook has no sheet");
    const header = (sheet.getRow(1).values as unknown[]).slice(1);

    expect(french.text).toContain("Thème qui vous intéresse");
    expect(french.text).toContain("Merci de répondre aux deux questions.");
    expect(english.text).toContain("Topic you care about");
    expect(english.text).toMatch(/name="answers.topic" value="schooling" required/);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("validation");
    expect(missing.json.issues).toEqual([{ path: "answers.topic", message: "required" }]);
    expect(missingInForm.status).toBe(400);
    expect(missingInForm.text).toContain('<a href="#field-answers.topic">Choisissez une réponse.</a>');
    expect(missingInForm.text).toContain(">Bonjour</textarea>");
    expect([json.status, posted.status]).toEqual([201, 201]);
    const [csvHeader, ...csvRows] = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(csvHeader?.split(",").slice(-2)).toEqual(["topic", "remarks"]);
    expect(csv.text).toContain('Logement,"Des idées\nà partager"');
    expect(csvRows.some((line) => line.endsWith("Scolarité,"))).toBe(true);
    expect(header.slice(-2)).toEqual(["topic", "remarks"]);
    const fr = stats.json.sessions.find((session: { sessionId: string }) => session.sessionId === "fr");
    expect(fr.byAnswer.topic).toEqual({
      housing: { registered: 1, attended: 0 },
      schooling: { registered: 1, attended: 0 },
    });
    expect(fr.byAnswer).not.toHaveProperty("remarks");
  });

  it("refuses registrations outside its window with 409, and its form says when", async () => {
    const closedAt = new Date(Date.now() - hourMs).toISOString();
    const closed = await createEvent({ registrationClosesAt: closedAt });
    const early = await createEvent({
      registrationOpensAt: new Date(Date.now() + 24 * hourMs).toISOString(),
    });

    const page = await request("GET", `/events/${closed}/register?lang=fr`);
    const json = await request("POST", `/events/${closed}/registrations`, { body: registrant() });
    const posted = await request("POST", `/events/${closed}/registrations?lang=en`, formPost());
    const tooEarly = await request("POST", `/events/${early}/registrations`, { body: registrant() });
    const earlyPage = await request("GET", `/events/${early}/register?lang=en`);

    expect(page.text).toContain("Les inscriptions sont closes");
    expect(page.text).toContain(`${new Date(closedAt).getUTCFullYear()}`);
    expect(page.text).not.toContain("<form");
    expect(json.status).toBe(409);
    expect(json.json.error).toBe("registration-closed");
    expect(posted.status).toBe(409);
    expect(posted.text).toContain("Registration is closed");
    expect(tooEarly.json.error).toBe("registration-closed");
    expect(earlyPage.text).toContain("Registration is not open yet");
  });

  it("keeps today's fields and rules for an event that says nothing about its form", async () => {
    const id = await createEvent();

    const page = await request("GET", `/events/${id}/register?lang=en`);
    const withoutOrganisation = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ organisation: undefined }),
    });
    // An older client still sends the demo event's two fields: they are ignored, as any unknown field.
    const older = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ city: "Sfax", questions: "Une question", practice: "Une pratique" }),
    });

    expect(page.text).toMatch(/id="field-organisation"[^>]*required/);
    expect(page.text).toMatch(/id="field-country"[^>]*required/);
    expect(page.text).not.toMatch(/id="field-city"[^>]*required/);
    expect(page.text).not.toContain("answers.");
    expect(page.text).not.toContain("<optgroup");
    expect(withoutOrganisation.status).toBe(400);
    expect(withoutOrganisation.json.issues.map((issue: { path: string }) => issue.path)).toEqual([
      "organisation",
    ]);
    expect(older.status).toBe(201);
  });

  it("asks a question added to the form from the very next registration (the form's checks are not kept from before)", async () => {
    const id = await createEvent();
    const before = await request("POST", `/events/${id}/registrations`, { body: registrant() });

    const saved = await request("PUT", `/admin/events/${id}`, { body: { ...sampleEvent(), form }, ...admin });
    const unanswered = await request("POST", `/events/${id}/registrations`, { body: registrant() });

    expect(before.status).toBe(201);
    expect(saved.status).toBe(200);
    expect(unanswered.status).toBe(400);
    expect(unanswered.json.issues).toEqual([{ path: "answers.topic", message: "required" }]);
  });
});

/** A multiple choice and a yes/no, beside the issue's two questions. */
const moreQuestions: NonNullable<EventInput["form"]>["questions"] = [
  {
    id: "tools",
    type: "multiple-choice",
    label: { fr: "Outils", en: "Tools" },
    choices: [
      { id: "zoom", label: { fr: "Zoom", en: "Zoom" } },
      { id: "teams", label: { fr: "Teams", en: "Teams" } },
    ],
  },
  { id: "speaker", type: "yes-no", label: { fr: "Intervenir ?", en: "Speak?" } },
];

describe("answers in the export", () => {
  it("gives each question a column: text as written, choices by their labels, yes/no as true/false", () => {
    const event = eventInputSchema.parse({
      ...sampleEvent(),
      form: { questions: [...(form?.questions ?? []), ...moreQuestions] },
    });
    const row: ExportRow = {
      registrationId: "r-1",
      email: "ada@example.org",
      firstName: "Ada",
      lastName: "Lovelace",
      organisation: "Ville de Lyon",
      organisationType: "local-government",
      jobTitle: undefined,
      department: undefined,
      city: undefined,
      country: "FR",
      sessionId: "fr",
      language: "fr",
      status: "confirmed",
      createdAt: "2027-01-02T10:00:00.000Z",
      updates: false,
      attended: null,
      attendedMinutes: null,
      answers: { topic: "schooling", tools: ["zoom", "teams"], speaker: true },
    };

    const [header, line] = registrationsCsv([row], exportFormOf(event))
      .replace(/^\uFEFF/, "")
      .split("\n");

    expect(header?.split(",").slice(-4)).toEqual(["topic", "remarks", "tools", "speaker"]);
    expect(line?.split(",").slice(-4)).toEqual(["Scolarité", "", "Zoom; Teams", "true"]);
  });
});
