import { type AddressObject, simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { eventInputSchema, type Session, type WebinarEvent } from "../../shared/domain/event.ts";
import type { Language } from "../../shared/domain/languages.ts";
import type { Registration } from "../../shared/domain/registration.ts";
import { escapeHtml } from "../../shared/html.ts";
import { composeMessage } from "../../shared/mail/compose.ts";
import { formatDuration, formatStartsIn } from "../../shared/mail/format.ts";
import {
  buildRegistrationMail,
  type MailKind,
  type RegistrationMailInput,
} from "../../shared/mail/registration-mail.ts";

const hourMs = 60 * 60 * 1000;
const joinUrl = "https://webinar.example.org/j/join-secret";
const manageUrl = "https://convene.example.org/registrations/reg-123?token=abc&lang=en";

const event: WebinarEvent = {
  ...eventInputSchema.parse({
    title: { fr: "Localiser les ODD", en: "Localising the SDGs" },
    description: { fr: "Une description", en: "A description" },
    organiser: { name: "UCLG and UNICEF", email: "organisers@example.org" },
    sessions: [
      {
        id: "morning",
        language: "fr",
        startsAt: "2027-03-04T09:00:00Z",
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl,
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

interface Options {
  language?: Language;
  reminderOffsetMs?: number;
  event?: Partial<WebinarEvent>;
  registration?: Partial<Registration>;
}

function mailInput(kind: MailKind, options: Options = {}): RegistrationMailInput {
  return {
    kind,
    event: { ...event, ...options.event },
    session,
    registration: { ...registration, language: options.language ?? "en", ...options.registration },
    manageUrl,
    publicUrl: "https://convene.example.org",
    from: "Convene <webinars@convene.example.org>",
    ...(options.reminderOffsetMs !== undefined && { reminderOffsetMs: options.reminderOffsetMs }),
  };
}

/** The mail as the registrant's client shows it, plus its raw bytes for what a client hides. */
async function receive(kind: MailKind, options: Options = {}) {
  const mail = await buildRegistrationMail(mailInput(kind, options));
  const parsed = await simpleParser(mail.raw);
  return { mail, parsed, text: parsed.text ?? "", html: parsed.html || "", raw: mail.raw.toString() };
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((object) => object.value);

describe("registration mails in English", () => {
  it("confirm the registration with the title, both times, the duration, the join and manage links", async () => {
    const { mail, parsed, text, html } = await receive("confirmation");

    expect(mail.to).toBe("ada@example.org");
    expect(parsed.subject).toBe("Registration confirmed: Localising the SDGs");
    expect(addresses(parsed.to)).toEqual([{ name: "Ada Lovelace", address: "ada@example.org" }]);
    for (const part of [text, html]) {
      expect(part).toContain("Localising the SDGs");
      expect(part).toMatch(/Thursday,? 4 March 2027.*10:00 \(Central European Standard Time\)/);
      expect(part).toMatch(/Thursday,? 4 March 2027.*09:00 UTC/);
      expect(part).toContain("1 hour 30 minutes");
      expect(part).toContain(joinUrl);
      expect(part).toContain("UCLG and UNICEF");
    }
    expect(text).toContain(`View or cancel your registration: ${manageUrl}`);
    expect(html).toContain(`href="${joinUrl}"`);
    expect(html).toContain(`href="${manageUrl.replace("&", "&amp;")}"`);
  });

  it("send replies to the organiser, not to the sending address", async () => {
    const { parsed } = await receive("confirmation");

    expect(addresses(parsed.from)).toEqual([{ name: "Convene", address: "webinars@convene.example.org" }]);
    expect(addresses(parsed.replyTo)).toEqual([
      { name: "UCLG and UNICEF", address: "organisers@example.org" },
    ]);
  });

  it("tell a promoted registrant first that a seat became free, then give the join link", async () => {
    const { parsed, text } = await receive("promotion");

    expect(parsed.subject).toContain("Localising the SDGs");
    expect(text.split("\n\n")[1]).toBe("Good news: a seat has become free, and it is yours.");
    expect(text).toContain(joinUrl);
  });

  it("tell a waitlisted registrant they will be mailed if a seat frees up, without the join link", async () => {
    const { parsed, text, raw } = await receive("waitlist");

    expect(parsed.subject).toBe("Waiting list: Localising the SDGs");
    expect(text).toContain("If a seat frees up, we will email you the link to join.");
    expect(text).toContain(manageUrl);
    expect(raw).not.toContain("join-secret");
  });

  it("confirm a cancellation without the join link", async () => {
    const { parsed, text, raw } = await receive("cancellation");

    expect(parsed.subject).toBe("Registration cancelled: Localising the SDGs");
    expect(text).toContain("Your registration has been cancelled.");
    expect(text).toContain(`View your registration: ${manageUrl}`);
    expect(raw).not.toContain("join-secret");
  });

  it.each([
    [hourMs, "Reminder: Localising the SDGs starts in 1 hour"],
    [24 * hourMs, "Reminder: Localising the SDGs starts tomorrow"],
    [7 * 24 * hourMs, "Reminder: Localising the SDGs starts in 7 days"],
  ])("remind %d ms before with “%s” and the join link", async (reminderOffsetMs, subject) => {
    const { parsed, text } = await receive("reminder", { reminderOffsetMs });

    expect(parsed.subject).toBe(subject);
    expect(text).toContain(joinUrl);
  });

  it("link the event's privacy notice at the foot of both parts, in the registrant's language", async () => {
    for (const kind of ["confirmation", "waitlist", "promotion", "cancellation"] as const) {
      const english = await receive(kind);
      const french = await receive(kind, { language: "fr" });
      const notice = `https://convene.example.org/events/${event.id}/privacy`;

      expect(english.text).toMatch(new RegExp(`\\n--\\n[^]*Privacy notice: ${notice}\\?lang=en\\n$`));
      expect(english.html).toContain(`href="${notice}?lang=en"`);
      expect(french.text).toContain(`Politique de confidentialité\u00a0: ${notice}?lang=fr`);
      expect(french.html).toContain(`href="${notice}?lang=fr"`);
    }
  });

  it("refuse to build a reminder without knowing how far away the session is", async () => {
    await expect(buildRegistrationMail(mailInput("reminder"))).rejects.toThrow(/reminderOffsetMs/);
  });
});

describe("registration mails in French", () => {
  it("speak French to a French-speaking registrant, with the French title and times", async () => {
    const { parsed, text, html } = await receive("confirmation", { language: "fr" });

    expect(parsed.subject).toBe("Inscription confirmée\u00a0: Localiser les ODD");
    expect(text).toContain("Bonjour Ada,");
    expect(text).toContain("Votre inscription est confirmée.");
    expect(text).toContain(
      "Date et heure\u00a0: jeudi 4 mars 2027 à 10:00 (heure normale d’Europe centrale)",
    );
    expect(text).toContain("En heure UTC\u00a0: jeudi 4 mars 2027 à 09:00 UTC");
    expect(text).toMatch(/Durée\u00a0: 1\sheure 30\sminutes/);
    expect(text).toContain(`Consulter ou annuler votre inscription\u00a0: ${manageUrl}`);
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain("Rejoindre le webinaire");
  });

  it.each([
    [hourMs, "dans 1 heure"],
    [24 * hourMs, "demain"],
    [7 * 24 * hourMs, "dans 7 jours"],
  ])("remind %d ms before: the session starts “%s”", async (reminderOffsetMs, startsIn) => {
    const { parsed, text } = await receive("reminder", { language: "fr", reminderOffsetMs });

    expect(parsed.subject).toBe(`Rappel\u00a0: «\u00a0Localiser les ODD\u00a0» commence ${startsIn}`);
    expect(text).toContain(`Votre session commence ${startsIn}.`);
  });

  it("announce the waiting list and the cancellation in French", async () => {
    const waitlist = await receive("waitlist", { language: "fr" });
    const cancellation = await receive("cancellation", { language: "fr" });

    expect(waitlist.text).toContain("Si une place se libère, nous vous enverrons un message");
    expect(cancellation.parsed.subject).toBe("Inscription annulée\u00a0: Localiser les ODD");
  });

  it("fall back to another language's title when the event has none in French", async () => {
    const { parsed } = await receive("confirmation", {
      language: "fr",
      event: { title: { en: "Localising the SDGs" } },
    });

    expect(parsed.subject).toBe("Inscription confirmée\u00a0: Localising the SDGs");
  });
});

describe("registration mails in Arabic", () => {
  const arabicEvent = { title: { ...event.title, ar: "توطين أهداف التنمية المستدامة" } };

  it("speak Arabic, right to left, to an Arabic-speaking registrant of a French session, with Latin digits", async () => {
    const { parsed, text, html } = await receive("confirmation", { language: "ar", event: arabicEvent });

    expect(parsed.subject).toBe("تأكيد التسجيل: توطين أهداف التنمية المستدامة");
    expect(text).toContain("مرحبًا Ada،");
    expect(text).toContain("تم تأكيد تسجيلك.");
    expect(text).toContain("التاريخ والوقت: الخميس، 4 مارس 2027 في 10:00 ص");
    expect(text).toContain("المدة: ساعة و30 دقيقة");
    expect(text).not.toMatch(/[\u0660-\u0669]/); // no Arabic-Indic digits: the Maghreb reads Latin ones
    expect(html).toContain('<html lang="ar" dir="rtl">');
    // Webmail drops <html>: the frame itself carries the direction.
    expect(html).toMatch(/<div dir="rtl" style="max-width:600px/);
    expect(html).toContain("انضم إلى الندوة الإلكترونية");
  });

  it.each([
    [hourMs, "خلال ساعة واحدة"],
    [24 * hourMs, "غدًا"],
    [7 * 24 * hourMs, "خلال 7 أيام"],
  ])("remind %d ms before: the session starts “%s”", async (reminderOffsetMs, startsIn) => {
    const { parsed, text } = await receive("reminder", {
      language: "ar",
      reminderOffsetMs,
      event: arabicEvent,
    });

    expect(parsed.subject).toBe(`تذكير: تبدأ الجلسة ${startsIn} – توطين أهداف التنمية المستدامة`);
    expect(text).toContain(`تبدأ جلستك ${startsIn}.`);
  });

  it("fall back to another language's title when the event has none in Arabic", async () => {
    const { parsed } = await receive("cancellation", { language: "ar" });

    expect(parsed.subject).toBe("إلغاء التسجيل: Localiser les ODD");
  });
});

describe("values typed by registrants and organisers", () => {
  const hostile = "<script>alert(1)</script>\"&'";

  it("are escaped in the HTML part and shown as typed in the text part", async () => {
    const { text, html } = await receive("confirmation", {
      registration: { firstName: hostile },
      event: {
        title: { en: `Title ${hostile}` },
        organiser: { name: { en: `Org ${hostile}` }, email: "organisers@example.org" },
      },
    });

    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;");
    expect(html.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(4);
    expect(text).toContain(`Hello ${hostile},`);
    expect(text).toContain(`Organised by: Org ${hostile}`);
  });

  it("keep the subject on one line when a title spans several", async () => {
    const { parsed } = await receive("confirmation", { event: { title: { en: "Localising\nthe SDGs" } } });

    expect(parsed.subject).toBe("Registration confirmed: Localising the SDGs");
  });

  it("cannot smuggle a script link in as the manage link", async () => {
    await expect(
      buildRegistrationMail({ ...mailInput("confirmation"), manageUrl: "javascript:alert(1)" }),
    ).rejects.toThrow(/non-web link/);
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that can open markup or end an attribute", () => {
    expect(escapeHtml(`<script>"&'`)).toBe("&lt;script&gt;&quot;&amp;&#39;");
    expect(escapeHtml("Élodie & Co")).toBe("Élodie &amp; Co");
  });
});

describe("formatting", () => {
  it("words a reminder offset with the largest whole unit", () => {
    expect(formatStartsIn(30 * 60 * 1000, "en")).toBe("in 30 minutes");
    expect(formatStartsIn(36 * hourMs, "en")).toBe("in 36 hours");
    expect(formatStartsIn(2 * 24 * hourMs, "fr")).toBe("après-demain");
  });

  it("words a session's duration", () => {
    expect(formatDuration(60, "en")).toBe("1 hour");
    expect(formatDuration(45, "fr")).toMatch(/^45\sminutes$/);
    expect(formatDuration(150, "fr")).toMatch(/^2\sheures 30\sminutes$/);
  });
});

describe("composeMessage", () => {
  const base = {
    from: "webinars@convene.example.org",
    to: "ada@example.org",
    subject: "News",
    text: "Hello",
    html: "<p>Hello</p>",
  };

  it("writes custom headers verbatim, as RFC 8058 one-click unsubscribe needs", async () => {
    const unsubscribe = `<https://convene.example.org/unsubscribe?token=${"a".repeat(120)}>, <mailto:unsubscribe@convene.example.org>`;
    const raw = (
      await composeMessage({
        ...base,
        headers: { "List-Unsubscribe": unsubscribe, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      })
    ).toString();
    const headerLines = raw.slice(0, raw.indexOf("\r\n\r\n")).split("\r\n");

    expect(headerLines).toContain(`List-Unsubscribe: ${unsubscribe}`);
    expect(headerLines).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });

  it("refuses a header value that would inject another header", async () => {
    expect(() => composeMessage({ ...base, headers: { "X-Note": "a\r\nBcc: victim@example.org" } })).toThrow(
      /one line/,
    );
  });
});
