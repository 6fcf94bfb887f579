import { type AddressObject, simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { demoEvent } from "../../infra/local/demo-event.ts";
import { eventInputSchema, type WebinarEvent } from "../../shared/domain/event.ts";
import type { Language } from "../../shared/domain/languages.ts";
import type { Registration } from "../../shared/domain/registration.ts";
import { buildRegistrationMail, type MailKind } from "../../shared/mail/registration-mail.ts";
import { renderMailing } from "../../shared/mailings/content/render-mailing.ts";
import { sampleEvent } from "../support/sample-event.ts";

const webinar = (input: unknown): WebinarEvent => ({
  ...eventInputSchema.parse(input),
  id: "mc2cm-webinar-4",
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-01T10:00:00Z",
});

/** The demo event: UCLG / UNICEF / CSIPDHR logos, accent #00689d, agenda, organiser names in fr/en/ar. */
const demo = webinar(demoEvent(new Date("2026-11-29T12:00:00Z")));
const manageUrl = "https://convene.example.org/registrations/reg-1?token=abc";

const registrant = (language: Language): Registration => ({
  registrationId: "reg-1",
  eventId: demo.id,
  sessionId: "fr",
  email: "amina@example.org",
  firstName: "Amina",
  lastName: "Benali",
  organisation: "Ville de Tunis",
  organisationType: "local-government",
  country: "TN",
  language,
  updates: false,
  consent: { acceptedAt: "2026-11-03T10:00:00Z", noticeVersion: "2026-11-27" },
  status: "confirmed",
  createdAt: "2026-11-03T10:00:00Z",
  updatedAt: "2026-11-03T10:00:00Z",
  confirmationNumber: 1,
});

async function receive(kind: MailKind, language: Language, event: WebinarEvent = demo) {
  const session = event.sessions[0] as WebinarEvent["sessions"][number];
  const mail = await buildRegistrationMail({
    kind,
    event,
    session,
    registration: { ...registrant(language), sessionId: session.id },
    manageUrl,
    publicUrl: "https://convene.example.org",
    from: "Convene <webinars@convene.example.org>",
  });
  const parsed = await simpleParser(mail.raw);
  const calendar = parsed.attachments.find((part) => part.contentType.startsWith("text/calendar"));
  return {
    text: parsed.text ?? "",
    html: String(parsed.html),
    replyTo: parsed.replyTo,
    calendar: calendar?.content.toString("utf8") ?? "",
  };
}

const names = (field: AddressObject | undefined) => field?.value.map((address) => address.name);

/** The invite's ORGANIZER line, its folds (RFC 5545, 75 octets) joined again. */
const organizerLine = (calendar: string) =>
  /^ORGANIZER;(.*)$/m.exec(calendar.replace(/\r\n[ \t]/g, ""))?.[1] ?? "";

describe("branded mails", () => {
  it("show the event's logos and accent colour in the HTML part, and none in a neutral event's", async () => {
    const { html } = await receive("confirmation", "fr");
    const neutral = await receive("confirmation", "en", webinar(sampleEvent()));

    expect(html).toContain('<img src="https://placehold.co/240x96/ffffff/003f72/png?text=UCLG" alt="CGLU"');
    expect(html).toContain('<a href="https://www.unicef.org/"><img');
    expect(html).toContain("border-top:4px solid #00689d");
    expect(html).toMatch(
      /<a href="https:\/\/webinar\.example\.org\/j\/mc2cm-webinar-4-fr" style="[^"]*background:#00689d/,
    );
    expect(neutral.html).not.toContain("<img");
    expect(neutral.html).toContain("background:#0b4f9c");
  });

  it("put the agenda, with each part's times in the session's zone, in both parts of a confirmation", async () => {
    const { text, html } = await receive("confirmation", "en");

    expect(text).toContain(
      [
        "Agenda",
        "10:00 – 10:45  Peer learning: cities share their practices",
        "    Moderator: UCLG",
        "10:45 – 11:10  UNICEF presentation: protecting unaccompanied and separated children and young people",
        "    Speaker: UNICEF",
        "11:10 – 11:30  Questions and answers",
      ].join("\n"),
    );
    expect(html).toContain("<strong>Questions and answers</strong>");
  });

  it("make managing the registration the primary action when there is no seat to join", async () => {
    const waitlisted = await receive("waitlist", "en");
    const confirmed = await receive("confirmation", "en");
    const buttonTo = (html: string, href: string) =>
      new RegExp(`<a href="${href.replace(/[?.]/g, "\\$&")}" style="[^"]*background:#00689d`).test(html);

    expect(buttonTo(waitlisted.html, manageUrl)).toBe(true);
    expect(waitlisted.text).not.toContain("webinar.example.org/j/");
    expect(waitlisted.text).not.toContain("Agenda");
    expect(buttonTo(confirmed.html, manageUrl)).toBe(false);
  });

  it("name the organisers in the mail's language: signature, Reply-To and the invite's ORGANIZER", async () => {
    const arabic = await receive("confirmation", "ar");
    const french = await receive("confirmation", "fr");
    const arabicName = demo.organiser.name.ar as string;

    expect(names(arabic.replyTo)).toEqual([arabicName]);
    expect(arabic.text).toContain(arabicName);
    expect(organizerLine(arabic.calendar)).toContain(`CN="${arabicName}"`);
    expect(names(french.replyTo)).toEqual([demo.organiser.name.fr]);
    expect(organizerLine(french.calendar)).toContain('CN="CGLU, l’UNICEF');
  });

  it("keep the manage link, which can cancel, out of the invite that a shared calendar shows", async () => {
    const { text, calendar } = await receive("confirmation", "en");
    expect(text).toContain(manageUrl);
    const unfolded = calendar.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toMatch(/^DESCRIPTION:/m);
    expect(unfolded).not.toContain("token=");
  });

  it("brand the organisers' mailings too", () => {
    const rendered = renderMailing({
      mailing: { subject: { en: "The recording" }, body: { en: "Thank you for coming." } },
      event: demo,
      session: demo.sessions[0] as WebinarEvent["sessions"][number],
      recipient: { firstName: "Amina", lastName: "Benali", email: "amina@example.org", language: "en" },
      unsubscribeUrl: "https://convene.example.org/unsubscribe?token=t",
      publicUrl: "https://convene.example.org",
    });

    expect(rendered.html).toContain('alt="UNICEF"');
    expect(rendered.html).toContain("border-top:4px solid #00689d");
  });
});
