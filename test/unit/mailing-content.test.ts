import { type AddressObject, simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../shared/domain/errors.ts";
import { eventInputSchema, type Session, type WebinarEvent } from "../../shared/domain/event.ts";
import { escapeHtml } from "../../shared/html.ts";
import {
  type MailingInput,
  type MailingSettings,
  mailingInputSchema,
} from "../../shared/mailings/content/mailing-input.ts";
import {
  buildMailingMessage,
  type MailingMessageInput,
} from "../../shared/mailings/content/mailing-message.ts";
import { type MailingRecipient, renderMailing } from "../../shared/mailings/content/render-mailing.ts";

const unsubscribeUrl = "https://convene.example.org/unsubscribe?token=tok-123&lang=en";
const manageUrl = "https://convene.example.org/registrations/reg-1?token=abc";
const publicUrl = "https://convene.example.org";
const recordingUrl = "https://video.example.org/watch?v=42&t=0";

const event: WebinarEvent = {
  ...eventInputSchema.parse({
    title: { fr: "Mineurs non accompagnés", en: "Unaccompanied minors" },
    description: { fr: "Une description", en: "A description" },
    organiser: { name: "UCLG and UNICEF", email: "organisers@example.org" },
    sessions: [
      {
        id: "fr",
        language: "fr",
        startsAt: "2027-03-04T09:00:00Z",
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/1",
      },
    ],
  }),
  id: "mc2cm-webinar-4",
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-02T10:00:00Z",
};
const [session] = event.sessions as [Session];

const ada: MailingRecipient = {
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.org",
  language: "en",
  organisation: "Analytical Engines",
};

const thankYou: MailingInput = {
  name: "Thank you – attendees",
  subject: { fr: "Merci {{firstName}}", en: "Thank you, {{firstName}}" },
  body: {
    fr: "Bonjour {{firstName}} {{lastName}},\n\nmerci d’avoir suivi «\u00a0{{eventTitle}}\u00a0» le {{sessionDate}}.",
    en: [
      "## Thank you for coming",
      "",
      "Dear {{firstName}} {{lastName}} ({{organisation}}), thank you for attending *{{eventTitle}}* on {{sessionDate}}.",
      "",
      "- the [recording]({{links.recording}})",
      "- the slides: {{links.slides}}",
    ].join("\n"),
  },
  links: { recording: recordingUrl, slides: "https://slides.example.org/deck.pdf" },
};

const parse = (input: MailingInput): MailingSettings => mailingInputSchema.parse(input);

function render(mailing: MailingInput, recipient: Partial<MailingRecipient> = {}) {
  return renderMailing({
    mailing: parse(mailing),
    event,
    session,
    recipient: { ...ada, ...recipient },
    unsubscribeUrl,
    manageUrl,
    publicUrl,
  });
}

/** The issues a client would get in the 400 response. */
function issuesOf(input: unknown) {
  const result = mailingInputSchema.safeParse(input);
  if (result.success) throw new Error("expected the mailing to be refused");
  return ValidationError.fromZod(result.error).issues;
}

function messageInput(mailing: MailingInput, recipient: Partial<MailingRecipient> = {}): MailingMessageInput {
  return {
    mailing: parse(mailing),
    event,
    session,
    recipient: { ...ada, ...recipient },
    unsubscribeUrl,
    manageUrl,
    publicUrl,
    from: "Convene <webinars@convene.example.org>",
  };
}

async function receive(mailing: MailingInput, recipient: Partial<MailingRecipient> = {}) {
  const message = await buildMailingMessage(messageInput(mailing, recipient));
  const parsed = await simpleParser(message.raw);
  const header = (name: string) =>
    parsed.headerLines.filter((line) => line.key === name).map((line) => line.line);
  return { message, parsed, header, text: parsed.text ?? "", html: parsed.html || "" };
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((object) => object.value);

describe("the mailing schema", () => {
  it("applies the segment defaults: any attendance, every session, confirmed registrants, all languages, whatever they chose for news", () => {
    const mailing = parse(thankYou);

    expect(mailing.segment).toEqual({
      attendance: "any",
      statuses: ["confirmed"],
      languages: ["fr", "en", "ar"],
      updates: "any",
    });
    expect(mailing.segment.sessions).toBeUndefined();
  });

  it("refuses an unknown placeholder at the path of its text, naming it and listing the known ones", () => {
    const issues = issuesOf({ ...thankYou, body: { ...thankYou.body, fr: "Bonjour {{fristName}}" } });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("body.fr");
    expect(issues[0]?.message).toContain("{{fristName}}");
    expect(issues[0]?.message).toContain("{{firstName}}");
    expect(issues[0]?.message).toContain("{{links.recording}}");
  });

  it("refuses {{links.recording}} when the mailing has no link named recording", () => {
    const issues = issuesOf({ ...thankYou, links: { slides: "https://slides.example.org/deck.pdf" } });

    expect(issues).toEqual([
      {
        path: "body.en",
        message: expect.stringMatching(/^\{\{links\.recording\}\} names no link: add "recording"/),
      },
    ]);
  });

  it("refuses a link name that is not a slug, saying what a name may be", () => {
    const issues = issuesOf({ ...thankYou, links: { ...thankYou.links, Replay_FR: recordingUrl } });

    expect(issues).toEqual([
      { path: "links.Replay_FR", message: expect.stringMatching(/lowercase letters, digits and hyphens/) },
    ]);
  });

  it("refuses an unknown placeholder in a subject at the subject's path", () => {
    const issues = issuesOf({ ...thankYou, subject: { ...thankYou.subject, en: "Hi {{name}}" } });

    expect(issues.map((issue) => issue.path)).toEqual(["subject.en"]);
  });

  it("refuses a subject with a line break, which could inject a mail header", () => {
    const issues = issuesOf({
      ...thankYou,
      subject: { ...thankYou.subject, en: "Thanks\r\nBcc: x@example.org" },
    });

    expect(issues).toEqual([{ path: "subject.en", message: "must be on one line" }]);
  });

  it("refuses a body in a language the subject is not given in", () => {
    const issues = issuesOf({ ...thankYou, subject: { fr: "Merci" } });

    expect(issues.map((issue) => issue.path)).toEqual(["subject.en"]);
  });

  it("refuses links that are not http(s) URLs", () => {
    const issues = issuesOf({ ...thankYou, links: { ...thankYou.links, survey: "javascript:alert(1)" } });

    expect(issues.map((issue) => issue.path)).toEqual(["links.survey"]);
  });
});

describe("rendering a mailing for one recipient", () => {
  it("fills in each recipient's own name and organisation, the event title and the session date", () => {
    const forAda = render(thankYou);
    const forGrace = render(thankYou, { firstName: "Grace", lastName: "Hopper", organisation: "US Navy" });

    expect(forAda.subject).toBe("Thank you, Ada");
    expect(forGrace.subject).toBe("Thank you, Grace");
    expect(forAda.text).toContain(
      "Dear Ada Lovelace (Analytical Engines), thank you for attending Unaccompanied minors",
    );
    expect(forGrace.text).toContain("Dear Grace Hopper (US Navy)");
    expect(forGrace.html).not.toContain("Ada");
    for (const part of [forAda.text, forAda.html])
      expect(part).toMatch(/Thursday,? 4 March 2027.*10:00 \(Central European Standard Time\)/);
  });

  it("writes to a French registrant in French, with the date in French", () => {
    const mail = render(thankYou, { language: "fr" });

    expect(mail.language).toBe("fr");
    expect(mail.subject).toBe("Merci Ada");
    expect(mail.text).toContain("le jeudi 4 mars 2027 à 10:00 (heure normale d’Europe centrale)");
    expect(mail.html).toContain('<html lang="fr" dir="ltr">');
  });

  it("writes to an Arabic registrant in Arabic, right to left, with the date in Arabic and Latin digits", () => {
    const arabic = {
      ...thankYou,
      subject: { ...thankYou.subject, ar: "شكرًا {{firstName}}" },
      body: { ...thankYou.body, ar: "شكرًا لحضورك يوم {{sessionDate}}.\n\n- العرض التقديمي\n- التسجيل" },
    };

    const mail = render(arabic, { language: "ar" });

    expect(mail.language).toBe("ar");
    expect(mail.subject).toBe("شكرًا Ada");
    expect(mail.text).toContain("شكرًا لحضورك يوم الخميس، 4 مارس 2027 في 10:00 ص");
    expect(mail.text).toContain("تصلك هذه الرسالة لأنك سجّلت في");
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    // Lists padded on both sides: the bullets of a right-to-left list stay inside the card.
    expect(mail.html).toContain('<ul style="margin:0 0 16px;padding:0 24px;">');
  });

  it("gives an English registrant the French text when the mailing has no English one", () => {
    const frenchOnly = {
      ...thankYou,
      subject: { fr: "Merci {{firstName}}" },
      body: { fr: "Bonjour {{firstName}}" },
    };

    const mail = render(frenchOnly, { language: "en" });

    expect(mail.language).toBe("fr");
    expect(mail.subject).toBe("Merci Ada");
    expect(mail.text).toContain("Bonjour Ada");
    expect(mail.text).toContain("Vous recevez ce message à la suite de votre inscription");
  });

  it("shows names as text in the HTML, never as markup or Markdown", () => {
    const mail = render(thankYou, {
      firstName: "<script>alert(1)</script>",
      lastName: "**Bold** [x](https://evil.example)",
    });

    expect(mail.html).toContain(
      "Dear &lt;script&gt;alert(1)&lt;/script&gt; **Bold** [x](https://evil.example) (Analytical Engines)",
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<strong>");
    expect(mail.html).not.toContain('evil.example"');
    expect(mail.text).toContain(
      "Dear <script>alert(1)</script> **Bold** [x](https://evil.example) (Analytical",
    );
  });

  it("renders the organiser's headings, lists, emphasis and links", () => {
    const { html } = render(thankYou);

    expect(html).toMatch(/<h2 style="[^"]*">Thank you for coming<\/h2>/);
    expect(html).toMatch(/<em>Unaccompanied minors<\/em>/);
    expect(html).toMatch(/<ul style="[^"]*">\s*<li style="[^"]*">the <a href="[^"]+"/);
    expect(html).toContain(`<a href="${escapeHtml(recordingUrl)}" style="color:#0b57d0;">recording</a>`);
  });

  it("turns a link placeholder in running text into a link, and writes links as text (url) in plain text", () => {
    const { html, text } = render(thankYou);

    expect(html).toMatch(
      /<a href="https:\/\/slides\.example\.org\/deck\.pdf"[^>]*>https:\/\/slides\.example\.org\/deck\.pdf<\/a>/,
    );
    expect(text).toContain(`- the recording (${recordingUrl})`);
    expect(text).toContain("- the slides: https://slides.example.org/deck.pdf");
  });

  it("keeps a javascript: link as plain text, never as a link", () => {
    const sneaky = {
      ...thankYou,
      body: { en: "[click](javascript:alert(1)) [again](JavaScript:alert(2)) [data](data:text/html,x)" },
      subject: { en: "Hi" },
    };

    const { html, text } = render(sneaky);

    expect(html).not.toMatch(/href="(javascript|data):/i);
    expect(html).toContain("click again data");
    expect(text).toContain("click again data");
  });

  it("shows the organiser's raw HTML as text rather than rendering it", () => {
    const withHtml = {
      ...thankYou,
      body: { en: 'Hello <img src="x" onerror="alert(1)"> there' },
      subject: { en: "Hi" },
    };

    const { html } = render(withHtml);

    expect(html).toContain("Hello &lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt; there");
    expect(html).not.toContain("<img");
  });

  it("keeps a subject on one line even when the event title holds a line break", () => {
    const mail = renderMailing({
      mailing: parse({ ...thankYou, subject: { ...thankYou.subject, en: "About {{eventTitle}}" } }),
      event: { ...event, title: { en: "Unaccompanied\nminors" } },
      session,
      recipient: ada,
      unsubscribeUrl,
      publicUrl,
    });

    expect(mail.subject).toBe("About Unaccompanied minors");
  });
});

describe("a mailing as sent", () => {
  it("carries both RFC 8058 unsubscribe headers, each once, with the recipient's URL", async () => {
    const { header } = await receive(thankYou);

    expect(header("list-unsubscribe")).toEqual([`List-Unsubscribe: <${unsubscribeUrl}>`]);
    expect(header("list-unsubscribe-post")).toEqual(["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]);
  });

  it("links the event's privacy notice at the foot of the HTML and text parts", async () => {
    const english = await receive(thankYou);
    const french = await receive(thankYou, { language: "fr" });
    const notice = `${publicUrl}/events/${event.id}/privacy`;

    expect(english.text).toContain(`Privacy notice: ${notice}?lang=en`);
    expect(english.html).toContain(`href="${notice}?lang=en"`);
    expect(french.text).toContain(`${notice}?lang=fr`);
    expect(french.html).toContain(`>Politique de confidentialité</a>`);
  });

  it("shows the unsubscribe link in the HTML and text parts, in the recipient's language", async () => {
    const english = await receive(thankYou);
    const french = await receive(thankYou, { language: "fr" });

    expect(english.text).toContain(`Unsubscribe from these mailings: ${unsubscribeUrl}`);
    expect(english.text).toContain("because you registered for “Unaccompanied minors”");
    expect(english.html).toMatch(
      new RegExp(
        `<a href="${escapeHtml(unsubscribeUrl).replace(/[?.]/g, "\\$&")}"[^>]*>Unsubscribe from these mailings</a>`,
      ),
    );
    expect(french.text).toContain(`Se désabonner de ces envois\u00a0: ${unsubscribeUrl}`);
    expect(french.html).toContain(`href="${escapeHtml(unsubscribeUrl)}"`);
  });

  it("fills the subject's placeholders and addresses the recipient by name", async () => {
    const { message, parsed } = await receive(thankYou, { firstName: "Zoë" });

    expect(message.to).toBe("ada@example.org");
    expect(message.subject).toBe("Thank you, Zoë");
    expect(parsed.subject).toBe("Thank you, Zoë");
    expect(addresses(parsed.to)).toEqual([{ name: "Zoë Lovelace", address: "ada@example.org" }]);
  });

  it("sends replies to the organiser, not to the sending address", async () => {
    const { parsed } = await receive(thankYou);

    expect(addresses(parsed.from)).toEqual([{ name: "Convene", address: "webinars@convene.example.org" }]);
    expect(addresses(parsed.replyTo)).toEqual([
      { name: "UCLG and UNICEF", address: "organisers@example.org" },
    ]);
  });

  it("refuses to send with an unsubscribe link that is not a web URL", async () => {
    const input = { ...messageInput(thankYou), unsubscribeUrl: "javascript:alert(1)" };

    await expect(buildMailingMessage(input)).rejects.toThrow(/non-web link/);
  });
});
