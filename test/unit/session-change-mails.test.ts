import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { eventInputSchema, type Session, type WebinarEvent } from "../../shared/domain/event.ts";
import type { Language } from "../../shared/domain/languages.ts";
import type { Registration } from "../../shared/domain/registration.ts";
import { buildRegistrationMail, type RegistrationMailInput } from "../../shared/mail/registration-mail.ts";
import { registrant, sampleEvent } from "../support/sample-event.ts";

const settings = eventInputSchema.parse({
  ...sampleEvent(),
  title: { fr: "Webinaire test", en: "Test webinar", ar: "ندوة تجريبية" },
});
settings.sessions[0] = { ...settings.sessions[0], startsAt: "2027-03-04T09:00:00Z" } as Session;
const event: WebinarEvent = {
  ...settings,
  id: "changes",
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-02T10:00:00Z",
};
const session = event.sessions[0] as Session;

function registrationOf(language: Language, status: Registration["status"]): Registration {
  const { sessionId: _sessionId, consent: _consent, ...person } = registrant({ language });
  return {
    ...person,
    registrationId: "reg-1",
    eventId: event.id,
    sessionId: session.id,
    language,
    status,
    updates: false,
    consent: { acceptedAt: "2026-11-03T10:00:00Z", noticeVersion: "2026-11-27" },
    createdAt: "2026-11-03T10:00:00Z",
    updatedAt: "2026-11-03T10:00:00Z",
    confirmationNumber: 1,
  } as Registration;
}

async function receive(
  input: Pick<RegistrationMailInput, "kind" | "change" | "sessionCancellation">,
  language: Language,
  status: Registration["status"] = "confirmed",
  registrationChanges: Partial<Registration> = {},
) {
  const mail = await buildRegistrationMail({
    ...input,
    event,
    session,
    registration: { ...registrationOf(language, status), ...registrationChanges },
    manageUrl: "https://convene.example.org/registrations/reg-1?token=t",
    publicUrl: "https://convene.example.org",
    from: "webinars@convene.example.org",
  });
  const parsed = await simpleParser(mail.raw);
  const calendar = parsed.attachments.find((part) => part.contentType.startsWith("text/calendar"));
  return {
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    calendar: calendar?.content.toString("utf8"),
  };
}

describe("mails about a changed or cancelled session", () => {
  it("an update says the former start in the session's zone and UTC, and that the join link changed", async () => {
    const { subject, text, calendar } = await receive(
      { kind: "update", change: { previousStartsAt: "2027-03-04T08:00:00Z", joinLinkChanged: true } },
      "en",
    );

    expect(subject).toBe("Change to your session: Test webinar");
    expect(text).toMatch(
      /It was planned for Thursday,? 4 March 2027.*09:00 \(Central European Standard Time\) – .*08:00 UTC\./,
    );
    expect(text).toContain("The join link has changed");
    expect(text).toContain(session.joinUrl);
    expect(calendar).toContain("METHOD:REQUEST");
  });

  it("an update of the join link only does not speak of a former time", async () => {
    const { text } = await receive({ kind: "update", change: { joinLinkChanged: true } }, "fr");

    expect(text).not.toContain("Elle était prévue");
    expect(text).toContain("Le lien de connexion a changé");
  });

  it("a waitlisted registrant's update carries neither the join link nor an invite, in Arabic too", async () => {
    const update = {
      kind: "waitlist-update",
      change: { previousStartsAt: "2027-03-04T08:00:00Z", joinLinkChanged: true },
    } as const;
    const english = await receive(update, "en", "waitlisted");
    const arabic = await receive(update, "ar", "waitlisted");

    for (const mail of [english, arabic]) {
      expect(mail.text).not.toContain(session.joinUrl);
      expect(mail.calendar).toBeUndefined();
    }
    expect(english.text).toContain("You are still on the waiting list");
    expect(arabic.subject).toContain("تغيير في الجلسة التي تنتظرها");
  });

  it("a session's cancellation carries a CANCEL, the organiser's word and the link to another session", async () => {
    const { subject, text, calendar } = await receive(
      {
        kind: "session-cancelled",
        sessionCancellation: {
          message: "Rendez-vous en avril.",
          otherSessionsUrl: "https://convene.example.org/events/changes/register",
        },
      },
      "fr",
    );

    expect(subject).toBe("Session annulée\u00a0: Webinaire test");
    expect(text).toContain("Rendez-vous en avril.");
    expect(text).toContain("https://convene.example.org/events/changes/register");
    expect(text).not.toContain(session.joinUrl);
    expect(calendar).toContain("METHOD:CANCEL");
    expect(text).toContain("retire la session de votre agenda");
  });

  it("a session's cancellation tells a waitlisted registrant, who got no invite, the news without a calendar part", async () => {
    const cancellation = {
      kind: "session-cancelled",
      sessionCancellation: { otherSessionsUrl: "https://convene.example.org/events/changes/register" },
    } as const;
    const english = await receive(cancellation, "en", "waitlisted");
    const french = await receive(cancellation, "fr", "waitlisted");

    expect(english.subject).toBe("Session cancelled: Test webinar");
    expect(english.text).toContain("the session you registered for has been cancelled");
    expect(english.text).toContain("https://convene.example.org/events/changes/register");
    expect(french.text).toContain("les organisateurs ont annulé votre session");
    for (const mail of [english, french]) {
      expect(mail.calendar).toBeUndefined();
      expect(mail.text).not.toMatch(/calendar|agenda/i);
    }
  });

  it("a waitlisted registrant who cancels gets no calendar part either", async () => {
    const { text, calendar } = await receive({ kind: "cancellation" }, "en", "cancelled", {
      cancelledFrom: "waitlisted",
    });

    expect(text).toContain("Your registration has been cancelled.");
    expect(calendar).toBeUndefined();
    expect(text).not.toContain("calendar");
  });
});
