import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { eventInputSchema, type Session, type WebinarEvent } from "../../shared/domain/event.ts";
import type { Registration } from "../../shared/domain/registration.ts";
import { type CalendarInviteInput, calendarInvite } from "../../shared/mail/calendar.ts";
import { renderDescriptionText } from "../../shared/mail/description-text.ts";
import { buildRegistrationMail, type MailKind } from "../../shared/mail/registration-mail.ts";
import { calendarFile } from "../../shared/registrations/calendar-file.ts";
import {
  calendarEntry,
  googleCalendarUrl,
  outlookCalendarUrl,
} from "../../shared/registrations/calendar-links.ts";

/** One iCalendar property as a client reads it: parameters and value, after unfolding. */
interface IcsProperty {
  params: Record<string, string>;
  value: string;
}

/** Unfolds RFC 5545 lines and indexes the VEVENT's and VCALENDAR's properties by name. */
function parseIcs(ics: string): Map<string, IcsProperty[]> {
  const lines = ics
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean);
  const properties = new Map<string, IcsProperty[]>();
  for (const line of lines) {
    const match = /^([A-Z-]+)((?:;[A-Z-]+=(?:"[^"]*"|[^;:"]*))*):(.*)$/.exec(line);
    if (!match) throw new Error(`not an iCalendar content line: ${line}`);
    const [, name = "", rawParams = "", value = ""] = match;
    const params = Object.fromEntries(
      [...rawParams.matchAll(/;([A-Z-]+)=("[^"]*"|[^;:"]*)/g)].map(([, key = "", param = ""]) => [
        key,
        param.replace(/^"|"$/g, ""),
      ]),
    );
    properties.set(name, [...(properties.get(name) ?? []), { params, value }]);
  }
  return properties;
}

function property(ics: Map<string, IcsProperty[]>, name: string): IcsProperty {
  const [first] = ics.get(name) ?? [];
  if (!first) throw new Error(`no ${name} in the invite`);
  return first;
}

const value = (ics: Map<string, IcsProperty[]>, name: string) => property(ics, name).value;

/** A TEXT property as a calendar shows it: RFC 5545 escapes undone. */
const textValue = (ics: Map<string, IcsProperty[]>, name: string) =>
  value(ics, name).replace(/\\([nN,;\\])/g, (_, escaped: string) =>
    escaped.toLowerCase() === "n" ? "\n" : escaped,
  );

const inviteInput: CalendarInviteInput = {
  method: "REQUEST",
  uid: "reg-123@convene",
  sequence: 7,
  start: new Date("2027-03-04T09:00:00Z"),
  end: new Date("2027-03-04T10:30:00Z"),
  summary: "Localising the SDGs; cities, regions",
  description: "What we will discuss\nand how",
  url: "https://webinar.example.org/j/secret",
  location: "https://webinar.example.org/j/secret",
  organiser: { name: "UCLG and UNICEF", email: "organisers@example.org" },
  attendee: { name: "Ada Lovelace", email: "ada@example.org" },
};

describe("calendar invite", () => {
  it("writes the join link in URL as a URI, with its ; and , as they are (Teams and Webex links have them)", () => {
    const url = "https://teams.example.org/l/meetup-join/19%3ameeting;context=a,b?tenant=1";

    const ics = parseIcs(calendarInvite({ ...inviteInput, url }));

    expect(property(ics, "URL")).toEqual({ params: { VALUE: "URI" }, value: url });
  });

  it("asks the attendee's calendar to add the session, already accepted and with no reply expected", () => {
    const ics = parseIcs(calendarInvite(inviteInput));

    expect(value(ics, "METHOD")).toBe("REQUEST");
    expect(value(ics, "UID")).toBe("reg-123@convene");
    expect(value(ics, "SEQUENCE")).toBe("7");
    expect(value(ics, "DTSTART")).toBe("20270304T090000Z");
    expect(value(ics, "DTEND")).toBe("20270304T103000Z");
    expect(value(ics, "SUMMARY")).toBe("Localising the SDGs\\; cities\\, regions");
    expect(value(ics, "URL")).toBe("https://webinar.example.org/j/secret");
    expect(value(ics, "LOCATION")).toBe("https://webinar.example.org/j/secret");
    expect(value(ics, "STATUS")).toBe("CONFIRMED");
    expect(property(ics, "ORGANIZER")).toEqual({
      params: { CN: "UCLG and UNICEF" },
      value: "mailto:organisers@example.org",
    });
    const attendee = property(ics, "ATTENDEE");
    expect(attendee.value.toLowerCase()).toBe("mailto:ada@example.org");
    expect(attendee.params).toMatchObject({ CN: "Ada Lovelace", PARTSTAT: "ACCEPTED", RSVP: "FALSE" });
  });

  it("cancels the same calendar entry by its UID", () => {
    const ics = parseIcs(calendarInvite({ ...inviteInput, method: "CANCEL", sequence: 8 }));

    expect(value(ics, "METHOD")).toBe("CANCEL");
    expect(value(ics, "UID")).toBe("reg-123@convene");
    expect(value(ics, "SEQUENCE")).toBe("8");
    expect(value(ics, "STATUS")).toBe("CANCELLED");
  });

  it("keeps the invite parseable when a name holds a double quote or a line break", () => {
    const ics = parseIcs(
      calendarInvite({
        ...inviteInput,
        organiser: { name: 'The "Cities"\nNetwork', email: "organisers@example.org" },
        attendee: { name: 'Ada "AL" Lovelace', email: "ada@example.org" },
      }),
    );

    expect(property(ics, "ORGANIZER").params.CN).toBe("The 'Cities' Network");
    expect(property(ics, "ATTENDEE").params.CN).toBe("Ada 'AL' Lovelace");
  });
});

const event: WebinarEvent = {
  ...eventInputSchema.parse({
    title: { fr: "Localiser les ODD", en: "Localising the SDGs" },
    description: { fr: "Une description", en: "A description" },
    organiser: { name: "UCLG and UNICEF", email: "organisers@example.org" },
    sessions: [
      {
        id: "fr",
        language: "fr",
        startsAt: "2027-03-04T09:00:00Z",
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/fr-secret",
      },
    ],
  }),
  id: "sdg-webinar",
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-02T10:00:00Z",
};
const [session] = event.sessions as [Session];

const registration: Registration = {
  registrationId: "reg-123",
  eventId: event.id,
  sessionId: session.id,
  email: "ada@example.org",
  firstName: "Ada",
  lastName: "Lovelace",
  organisation: "Analytical Engines",
  organisationType: "other",
  country: "GB",
  language: "en",
  updates: false,
  consent: { acceptedAt: "2026-11-03T10:00:00Z", noticeVersion: "2026-11-27" },
  status: "confirmed",
  createdAt: "2026-11-03T10:00:00Z",
  updatedAt: "2026-11-03T10:00:00Z",
  confirmationNumber: 1,
};

interface Changes {
  event?: Partial<WebinarEvent>;
  session?: Partial<Session>;
  registration?: Partial<Registration>;
}

/** The mail a registrant receives, parsed as their client parses it. */
async function receivedMail(kind: MailKind, changes: Changes = {}) {
  const mail = await buildRegistrationMail({
    kind,
    event: { ...event, ...changes.event },
    session: { ...session, ...changes.session },
    registration: { ...registration, ...changes.registration },
    manageUrl: "https://convene.example.org/registrations/reg-123?token=abc",
    publicUrl: "https://convene.example.org",
    from: "webinars@convene.example.org",
    reminderOffsetMs: 60 * 60 * 1000,
  });
  return { raw: mail.raw.toString(), parsed: await simpleParser(mail.raw) };
}

/** The invite a registrant's client reads from the mail, and the raw mail around it. */
async function mailedInvite(kind: MailKind, changes: Changes = {}) {
  const { raw, parsed } = await receivedMail(kind, changes);
  const part = parsed.attachments.find((attachment) => attachment.contentType === "text/calendar");
  if (!part) throw new Error(`no calendar invite in the ${kind} mail`);
  return { raw, ics: parseIcs(part.content.toString()) };
}

describe("invites in registration mails", () => {
  it("puts the registration's session in the registrant's calendar", async () => {
    const invite = await mailedInvite("confirmation");

    expect(invite.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    const { ics } = invite;
    expect(value(ics, "METHOD")).toBe("REQUEST");
    expect(value(ics, "UID")).toBe("reg-123@convene");
    expect(value(ics, "DTSTART")).toBe("20270304T090000Z");
    expect(value(ics, "DTEND")).toBe("20270304T103000Z");
    expect(value(ics, "SUMMARY")).toBe("Localising the SDGs");
    expect(value(ics, "URL")).toBe(session.joinUrl);
    expect(value(ics, "LOCATION")).toBe(session.joinUrl);
    expect(property(ics, "ORGANIZER")).toEqual({
      params: { CN: "UCLG and UNICEF" },
      value: "mailto:organisers@example.org",
    });
    expect(property(ics, "ATTENDEE").params).toMatchObject({ CN: "Ada Lovelace", PARTSTAT: "ACCEPTED" });
  });

  it("sends the same entry again with a promotion and a reminder", async () => {
    const confirmation = await mailedInvite("confirmation");
    for (const kind of ["promotion", "reminder"] as const) {
      const { ics } = await mailedInvite(kind);

      expect(value(ics, "METHOD")).toBe("REQUEST");
      expect(value(ics, "UID")).toBe(value(confirmation.ics, "UID"));
      expect(value(ics, "SEQUENCE")).toBe(value(confirmation.ics, "SEQUENCE"));
    }
  });

  it("moves the entry when the session moves: same UID, higher SEQUENCE, new times", async () => {
    const before = (await mailedInvite("reminder")).ics;
    const after = (
      await mailedInvite("reminder", {
        event: { updatedAt: "2026-12-01T08:00:00Z" },
        session: { startsAt: "2027-03-11T09:00:00Z" },
      })
    ).ics;

    expect(value(after, "UID")).toBe(value(before, "UID"));
    expect(Number(value(after, "SEQUENCE"))).toBeGreaterThan(Number(value(before, "SEQUENCE")));
    expect(value(after, "DTSTART")).toBe("20270311T090000Z");
  });

  it("removes the entry on cancellation with a SEQUENCE above every invite sent before, and no join link", async () => {
    const request = (await mailedInvite("confirmation")).ics;
    const cancel = await mailedInvite("cancellation");
    const { ics } = cancel;

    expect(value(ics, "METHOD")).toBe("CANCEL");
    expect(value(ics, "STATUS")).toBe("CANCELLED");
    expect(value(ics, "UID")).toBe(value(request, "UID"));
    expect(Number(value(ics, "SEQUENCE"))).toBeGreaterThan(Number(value(request, "SEQUENCE")));
    expect(cancel.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=CANCEL/);
    expect(cancel.raw).not.toContain("fr-secret");
  });

  it("lets a new registration after a cancellation add the entry again", async () => {
    const cancel = (await mailedInvite("cancellation")).ics;
    const again = (
      await mailedInvite("confirmation", { registration: { updatedAt: "2026-11-03T10:00:01Z" } })
    ).ics;

    expect(Number(value(again, "SEQUENCE"))).toBeGreaterThan(Number(value(cancel, "SEQUENCE")));
  });

  it("sends no invite to someone on the waiting list", async () => {
    const { raw, parsed } = await receivedMail("waitlist");

    expect(parsed.attachments).toEqual([]);
    expect(raw).not.toContain("BEGIN:VCALENDAR");
  });
});

describe("the event's description in calendars", () => {
  const description = {
    fr: "Description **en français**.\n\n**Objectifs**\n\n- premier point\n- voir [le site](https://example.org/mc2cm)",
    en: "Description *in English*.",
    ar: "**الأهداف**\n\n- تبادل الخبرات",
  };
  /** The event as `putEvent` saves it: its Markdown description also rendered as plain text. */
  const saved: WebinarEvent = { ...event, description, descriptionText: renderDescriptionText(description) };
  const french = { ...registration, language: "fr" } as const;
  const plainFrench =
    "Description en français.\n\nObjectifs\n\n- premier point\n- voir le site (https://example.org/mc2cm)";

  it("gives the invite of a mail the description as plain text, then the join link", async () => {
    const { ics } = await mailedInvite("confirmation", { event: saved, registration: french });

    expect(textValue(ics, "DESCRIPTION")).toBe(
      `${plainFrench}\n\nLien de connexion\u00a0: ${session.joinUrl}`,
    );
  });

  it("gives the downloaded .ics and the Google and Outlook links no Markdown, in Arabic too", () => {
    const ics = parseIcs(calendarFile(saved, session, french, "fr", "Lien de connexion"));
    const arabic = calendarEntry(saved, session, { ...registration, language: "ar" }, "ar", "رابط الانضمام");
    const google = new URL(googleCalendarUrl(arabic)).searchParams.get("details");
    const outlook = new URL(outlookCalendarUrl(arabic)).searchParams.get("body");

    expect(textValue(ics, "DESCRIPTION")).toBe(`${plainFrench}\n\nLien de connexion\n${session.joinUrl}`);
    for (const details of [google, outlook]) {
      expect(details).toBe(`الأهداف\n\n- تبادل الخبرات\n\nرابط الانضمام\n${session.joinUrl}`);
    }
  });
});
