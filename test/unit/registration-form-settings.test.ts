import { describe, expect, it } from "vitest";
import type { ConflictError } from "../../shared/domain/errors.ts";
import {
  type EventInput,
  eventInputSchema,
  publicView,
  type WebinarEvent,
} from "../../shared/domain/event.ts";
import { privacyNoticeVersion, registrationInputSchemaFor } from "../../shared/domain/registration.ts";
import {
  assertRegistrationOpen,
  registrationWindow,
  sessionsToSwitchTo,
} from "../../shared/domain/registration-form.ts";
import { renderRegistrationForm } from "../../shared/pages/registration-form.ts";
import { renderThankYou } from "../../shared/pages/registration-pages.ts";
import { registrant, sampleEvent } from "../support/sample-event.ts";

/** Two questions of the issue's "done when": a required single choice and an optional long text. */
const questions: NonNullable<EventInput["form"]>["questions"] = [
  {
    id: "topic",
    type: "single-choice",
    required: true,
    label: { fr: "Votre thème", en: "Your topic" },
    choices: [
      { id: "housing", label: { fr: "Logement", en: "Housing" } },
      { id: "schooling", label: { fr: "Scolarité", en: "Schooling" } },
    ],
  },
  { id: "remarks", type: "long-text", maxLength: 50, label: { fr: "Remarques", en: "Remarks" } },
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

/** The sample event, its sessions on fixed dates in March 2027, with some settings of its form. */
function eventWith(extra: Partial<EventInput>): WebinarEvent {
  const input = sampleEvent();
  const sessions = input.sessions.map((session) => ({ ...session, startsAt: "2027-03-04T09:00:00Z" }));
  const settings = eventInputSchema.parse({ ...input, sessions, ...extra });
  return { ...settings, id: "forms", createdAt: "2027-01-01T00:00:00Z", updatedAt: "2027-01-01T00:00:00Z" };
}

const issuesOf = (form: WebinarEvent["form"], body: Record<string, unknown>) => {
  const result = registrationInputSchemaFor(form).safeParse(body);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
};

describe("event form settings", () => {
  it("refuses questions whose label or choices miss one of the event's languages, and duplicate ids", () => {
    const result = eventInputSchema.safeParse({
      ...sampleEvent(),
      form: {
        questions: [
          { id: "a", type: "yes-no", label: { en: "Only English" } },
          {
            id: "a",
            type: "single-choice",
            label: { fr: "x", en: "x" },
            choices: [
              { id: "one", label: { fr: "un", en: "one" } },
              { id: "two", label: { en: "two" } },
            ],
          },
        ],
      },
    });

    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining([
        "form.questions.1.id",
        "form.questions.0.label.fr",
        "form.questions.1.choices.1.label.fr",
      ]),
    );
  });

  it("refuses a question id that names a standard column of the export", () => {
    const result = eventInputSchema.safeParse({
      ...sampleEvent(),
      form: { questions: [{ id: "email", type: "yes-no", label: { fr: "Oui ?", en: "Yes?" } }] },
    });

    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["form.questions.0.id"]);
  });

  it("refuses a window that closes before it opens", () => {
    const result = eventInputSchema.safeParse({
      ...sampleEvent(),
      registrationOpensAt: "2027-02-01T00:00:00Z",
      registrationClosesAt: "2027-01-01T00:00:00Z",
    });

    expect(result.error?.issues[0]?.path).toEqual(["registrationClosesAt"]);
  });
});

describe("registration input for an event's form", () => {
  it("keeps today's fields and rules for an event that says nothing, ignoring unknown fields", () => {
    const form = eventWith({}).form;

    expect(issuesOf(form, registrant({ organisation: "" }))).toEqual(["organisation: required"]);
    const parsed = registrationInputSchemaFor(form).parse(
      registrant({ city: "Lyon", questions: "old client", practice: "old client", answers: { x: 1 } }),
    );
    expect(parsed).toMatchObject({ city: "Lyon", organisation: "Ville de Marseille", country: "FR" });
    expect(parsed).not.toHaveProperty("questions");
    expect(parsed.answers).toBeUndefined();
  });

  it("asks the standard fields as the event says: required, optional or not at all", () => {
    const form = eventWith({
      form: { fields: { city: "required", organisation: "off", country: "optional" } },
    }).form;

    expect(issuesOf(form, registrant({ country: "", city: " " }))).toEqual(["city: required"]);
    const parsed = registrationInputSchemaFor(form).parse(registrant({ city: "Sfax", country: "" }));
    expect(parsed).not.toHaveProperty("organisation");
    expect(parsed.country).toBeUndefined();
  });

  it("names a required question left unanswered, and checks choices and lengths", () => {
    const form = eventWith({ form: { questions } }).form;

    expect(issuesOf(form, registrant())).toEqual(["answers.topic: required"]);
    expect(issuesOf(form, registrant({ answers: { topic: "" } }))).toEqual(["answers.topic: required"]);
    expect(issuesOf(form, registrant({ answers: { topic: "sport", remarks: "x".repeat(51) } }))).toEqual([
      "answers.topic: must be one of: housing, schooling",
      "answers.remarks: at most 50 characters",
    ]);
    expect(issuesOf(form, registrant({ answers: "housing" }))[0]).toMatch(/^answers: /);
  });

  it("reads answers from JSON and from the form's fields alike, dropping unknown questions", () => {
    const form = eventWith({ form: { questions } }).form;
    const schema = registrationInputSchemaFor(form);

    const json = schema.parse(
      registrant({ answers: { topic: "housing", tools: ["zoom", "zoom"], speaker: false, other: "x" } }),
    );
    const posted = schema.parse(
      registrant({
        "answers.topic": "housing",
        "answers.tools.zoom": "on",
        "answers.speaker": "no",
        "answers.remarks": "  ",
      }),
    );

    const expected = { topic: "housing", tools: ["zoom"], speaker: false };
    expect(json.answers).toEqual(expected);
    expect(posted.answers).toEqual(expected);
  });
});

describe("registration window", () => {
  const event = { registrationOpensAt: "2027-01-10T00:00:00Z", registrationClosesAt: "2027-01-20T00:00:00Z" };

  it("is open from its opening, included, to its closing, excluded", () => {
    expect(registrationWindow(event, new Date("2027-01-09T23:59:59Z"))).toBe("not-yet-open");
    expect(registrationWindow(event, new Date("2027-01-10T00:00:00Z"))).toBe("open");
    expect(registrationWindow(event, new Date("2027-01-20T00:00:00Z"))).toBe("closed");
    expect(registrationWindow({}, new Date("2099-01-01T00:00:00Z"))).toBe("open");
  });

  it("bounds the sessions a registrant may switch to, for the manage page and a cancelled session's mail alike", () => {
    const sessions = [
      { id: "fr", startsAt: "2027-02-01T09:00:00Z", cancelledAt: "2027-01-12T00:00:00Z" },
      { id: "en", startsAt: "2027-02-01T14:00:00Z" },
      { id: "es", startsAt: "2027-01-14T14:00:00Z" },
      { id: "ar", startsAt: "2027-02-02T14:00:00Z", cancelledAt: "2027-01-13T00:00:00Z" },
    ];
    const ids = (now: string) =>
      sessionsToSwitchTo({ ...event, sessions }, "fr", new Date(now)).map(({ id }) => id);

    // Not the one they are in, nor a cancelled one, nor one that has started.
    expect(ids("2027-01-13T12:00:00Z")).toEqual(["en", "es"]);
    expect(ids("2027-01-15T00:00:00Z")).toEqual(["en"]);
    // Outside the window nothing: a switch takes a seat as registering does, so the mail of a
    // cancelled session then offers no link to a switch the page would not show.
    expect(ids("2027-01-20T00:00:00Z")).toEqual([]);
  });

  it("refuses a registration outside it with the registration-closed conflict", () => {
    expect(() => assertRegistrationOpen(event, new Date("2027-01-21T00:00:00Z"))).toThrow(
      expect.objectContaining({ code: "registration-closed" }) as ConflictError,
    );
  });
});

describe("the form of an event with its own settings", () => {
  const now = new Date("2027-01-15T00:00:00Z");
  const render = (
    event: WebinarEvent,
    extra: { errors?: Record<string, string>; language?: "fr" | "en" } = {},
  ) =>
    renderRegistrationForm({
      event: publicView(event),
      seatsLeft: {},
      language: extra.language ?? "fr",
      action: "/events/forms/registrations",
      now,
      ...(extra.errors && { errors: extra.errors, values: {} }),
    });

  it("shows the event's questions in the page language, its intro, and only the fields it asks", () => {
    const html = render(
      eventWith({
        form: { questions, intro: { fr: "Bienvenue", en: "Welcome" }, fields: { department: "off" } },
      }),
    );

    expect(html).toContain("Bienvenue");
    expect(html).toContain("Votre thème");
    expect(html).toMatch(
      /<input type="radio" id="field-answers.topic" name="answers.topic" value="housing" required/,
    );
    expect(html).toContain('name="answers.tools.teams"');
    expect(html).toMatch(
      /<textarea id="field-answers.remarks" name="answers.remarks" rows="5" maxlength="50"/,
    );
    expect(html).toContain(">Oui</label>");
    expect(html).not.toContain('name="department"');
  });

  it("shows a missing answer next to its question and in the summary, in the page language", () => {
    const html = render(eventWith({ form: { questions } }), { errors: { "answers.topic": "required" } });

    expect(html).toContain('<a href="#field-answers.topic">Choisissez une réponse.</a>');
    expect(html).toMatch(
      /id="field-answers.topic-error"><span class="visually-hidden">Erreur\u00a0: <\/span>Choisissez une réponse./,
    );
  });

  it("says when registration opens or has closed, with the dates, instead of the form", () => {
    const early = render(eventWith({ registrationOpensAt: "2027-02-01T08:00:00Z" }), { language: "en" });
    const late = render(eventWith({ registrationClosesAt: "2027-01-14T17:00:00Z" }));

    expect(early).toContain("Registration is not open yet");
    expect(early).toContain("Monday, 1 February 2027 at 09:00 (Central European Standard Time)");
    expect(early).not.toContain("<form");
    expect(late).toContain("Les inscriptions sont closes");
    expect(late).toContain("jeudi 14 janvier 2027");
    expect(late).not.toContain("<form");
  });
});

describe("answers on the registrant's pages", () => {
  it("lists each answer under its question, choices by their labels and yes/no in words, in the page language", () => {
    const html = renderThankYou({
      event: publicView(eventWith({ form: { questions } })),
      language: "fr",
      registration: {
        registrationId: "r-1",
        eventId: "forms",
        sessionId: "fr",
        email: "ada@example.org",
        firstName: "Ada",
        lastName: "Lovelace",
        language: "fr",
        updates: false,
        consent: { acceptedAt: "2027-01-02T10:00:00Z", noticeVersion: privacyNoticeVersion },
        status: "confirmed",
        createdAt: "2027-01-02T10:00:00Z",
        updatedAt: "2027-01-02T10:00:00Z",
        confirmationNumber: 1,
        answers: { topic: "schooling", tools: ["zoom", "teams"], speaker: true },
      },
    });

    expect(html).toContain("<dt>Votre thème</dt><dd>Scolarité</dd>");
    expect(html).toContain("<dt>Outils</dt><dd>Zoom; Teams</dd>");
    expect(html).toContain("<dt>Intervenir ?</dt><dd>Oui</dd>");
    expect(html).not.toContain("<dt>Remarques</dt>");
  });
});
