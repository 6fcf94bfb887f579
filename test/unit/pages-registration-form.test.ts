import { describe, expect, it } from "vitest";
import { demoEvent } from "../../infra/local/demo-event.ts";
import { honeypotField, stampField } from "../../shared/abuse/form-fields.ts";
import {
  type EventInput,
  eventInputSchema,
  publicView,
  type WebinarEvent,
} from "../../shared/domain/event.ts";
import { privacyNoticeVersion, registrationInputSchema } from "../../shared/domain/registration.ts";
import { renderEventPage } from "../../shared/pages/event-page.ts";
import { pickPageLanguage } from "../../shared/pages/language.ts";
import { localTimeScript } from "../../shared/pages/local-time.ts";
import {
  type RegistrationFormOptions,
  renderRegistrationForm,
} from "../../shared/pages/registration-form.ts";
import { sampleEvent } from "../support/sample-event.ts";

const frenchStart = "2027-03-04T09:00:00Z";
const englishStart = "2027-03-04T13:00:00Z";
const beforeBoth = new Date("2027-02-01T00:00:00Z");

/** The sample event, with the demo event's form (its questions, shortlist and examples) if asked. */
function webinar(form?: EventInput["form"]): WebinarEvent {
  const input = sampleEvent();
  const [fr, en] = input.sessions;
  const settings = eventInputSchema.parse({
    ...input,
    ...(form && { form }),
    sessions: [
      { ...fr, startsAt: frenchStart },
      { ...en, startsAt: englishStart },
    ],
  });
  return {
    ...settings,
    id: "mc2cm-webinar-4",
    createdAt: "2027-01-01T00:00:00Z",
    updatedAt: "2027-01-01T00:00:00Z",
  };
}

const demoForm = demoEvent(new Date(frenchStart)).form;

function render(options: Partial<RegistrationFormOptions> = {}) {
  return renderRegistrationForm({
    event: publicView(webinar()),
    seatsLeft: { fr: 12, en: null },
    language: "en",
    action: "/events/mc2cm-webinar-4/registrations",
    now: beforeBoth,
    ...options,
  });
}

/** What a reader sees: no tags, entities decoded, every kind of space a plain space. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/gu, " ");
}

/** The opening tag of the element with this id. */
function tagWithId(html: string, id: string): string {
  const tag = html.match(new RegExp(`<[a-z]+\\b[^>]*\\sid="${id}"[^>]*>`))?.[0];
  if (!tag) throw new Error(`no element with id="${id}"`);
  return tag;
}

/** A field's block: its label, hint, error message and control. */
function fieldBlock(html: string, id: string): string {
  const block = html.match(
    new RegExp(`<div class="field[^"]*">\\s*<label for="${id}">[\\s\\S]*?</div>`),
  )?.[0];
  if (!block) throw new Error(`no field block for "${id}"`);
  return block;
}

/** The markup of each session choice: one radio and its label. */
const sessionChoices = (html: string) =>
  html.match(/<div class="choice">\s*<input type="radio"[\s\S]*?<\/div>/g) ?? [];

describe("registration form", () => {
  it("is in French for ?lang=fr and for a French browser, with a link to the English form", () => {
    for (const language of [
      pickPageLanguage("fr", undefined),
      pickPageLanguage(undefined, "fr-FR,fr;q=0.9"),
    ]) {
      const html = render({ language });

      expect(html).toContain('<html lang="fr" dir="ltr">');
      expect(html).toContain("<h1>Webinaire test</h1>");
      expect(visibleText(html)).toContain("Je m’inscris");
      expect(html).toContain(
        '<a href="/events/mc2cm-webinar-4/register?lang=en" hreflang="en" lang="en">English</a>',
      );
    }
  });

  it("is in English by default, with a link to the French form", () => {
    const html = render({ language: pickPageLanguage(undefined, undefined) });

    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain("<h1>Test webinar</h1>");
    // Not "?lang=fr": the form also comes back from the POST URL, which has no page for a GET.
    expect(html).toContain(
      '<a href="/events/mc2cm-webinar-4/register?lang=fr" hreflang="fr" lang="fr">Français</a>',
    );
  });

  it("is in Arabic, right to left, for ?lang=ar, with the demo event's questions and Arabic counts", () => {
    const event = { ...webinar(demoForm), title: { ...webinar().title, ar: "ندوة تجريبية" } };
    const html = render({ event: publicView(event), language: pickPageLanguage("ar", undefined) });
    const text = visibleText(html);

    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("<h1>ندوة تجريبية</h1>");
    expect(text).toContain("سجّلني");
    expect(text).toContain("أسئلتك لجلسة الأسئلة والأجوبة");
    // The sessions stay French and English; their language is named in Arabic, seats counted in Arabic.
    expect(text).toContain("اللغة: الفرنسية");
    expect(text).toContain("المقاعد المتبقية: 12 مقعدًا");
    expect(text).toContain("المدة: 90 دقيقة");
  });

  it("offers Arabic in its language switch and for the mails only when the event has Arabic texts", () => {
    const arabicEvent = { ...webinar(demoForm), title: { ...webinar().title, ar: "ندوة تجريبية" } };
    const withArabic = render({ event: publicView(arabicEvent) });
    const without = render();

    expect(withArabic).toContain(
      '<a href="/events/mc2cm-webinar-4/register?lang=ar" hreflang="ar" lang="ar">العربية</a>',
    );
    expect(withArabic).toContain('<option value="ar" lang="ar">العربية</option>');
    expect(without).not.toContain("العربية");
    // Reached by ?lang=ar all the same, the page keeps its own language among the mails' languages.
    expect(render({ language: "ar" })).toContain('<option value="ar" lang="ar" selected>العربية</option>');
  });

  it("lays out with logical CSS properties only, so an Arabic page mirrors", () => {
    const css = /<style>([\s\S]*?)<\/style>/.exec(render())?.[1] ?? "";

    expect(css).toContain("text-align:end");
    expect(css).not.toMatch(/(margin|padding|border)-(left|right)|text-align:(left|right)|[{;](left|right):/);
  });

  it("fits a phone screen", () => {
    expect(render()).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("offers both sessions with their time in Paris and in UTC, their language and the seats left", () => {
    const [french, english] = sessionChoices(render({ language: "fr", seatsLeft: { fr: 12, en: 1 } })).map(
      visibleText,
    );

    expect(french).toMatch(/jeudi 4 mars 2027 .*10:00 \(heure normale d’Europe centrale\)/);
    expect(french).toContain("09:00 UTC");
    expect(french).toContain("Langue : français");
    expect(french).toContain("12 places restantes");
    expect(english).toMatch(/jeudi 4 mars 2027 .*14:00 .*13:00 UTC/);
    expect(english).toContain("Langue : anglais");
    expect(english).toContain("1 place restante");
  });

  it("says a full session puts the registrant on the waiting list, and shows no count for unlimited ones", () => {
    const [french, english] = sessionChoices(render({ seatsLeft: { fr: 0, en: null } })).map(visibleText);

    expect(french).toContain("waiting list");
    expect(french).not.toMatch(/seats? left/);
    expect(english).not.toMatch(/waiting list|seats? left/);
  });

  it("does not offer a session that has already started", () => {
    const html = render({ now: new Date("2027-03-04T09:30:00Z") });

    expect(html).not.toContain('name="sessionId" value="fr"');
    expect(html).toContain('name="sessionId" value="en"');
  });

  it("says registration is closed, with no form, once every session has started", () => {
    const html = render({ now: new Date(englishStart) });

    expect(visibleText(html)).toContain("Registration is closed");
    expect(html).not.toContain("<form");
  });

  it("shows no seats left once the event's registration window has closed, sessions still listed", () => {
    const event = { ...webinar(), registrationClosesAt: "2027-01-20T00:00:00Z" };
    const text = visibleText(render({ event: publicView(event), seatsLeft: { fr: 100, en: 0 } }));

    expect(text).toContain("Registration is closed");
    expect(text).toContain("Language: French · Duration: 90 minutes");
    expect(text).not.toMatch(/seats? left|waiting list/i);
  });

  it("makes the event page say registration is closed too, with no Register button nor seats left", () => {
    const event = publicView({ ...webinar(), registrationClosesAt: "2027-01-20T00:00:00Z" });
    const page = (now: Date) =>
      renderEventPage(
        { event, language: "en", seatsLeft: { fr: 100, en: 0 }, pageUrl: "https://convene.example.org/e" },
        now,
      );

    const open = page(new Date("2027-01-19T00:00:00Z"));
    const closed = page(beforeBoth);

    expect(open).toContain('class="button"');
    expect(visibleText(open)).toMatch(/100 seats left/);
    expect(closed).not.toContain('class="button"');
    expect(visibleText(closed)).toContain("Registration for this webinar closed on");
    expect(visibleText(closed)).not.toMatch(/seats? left|waiting list/i);
  });

  it("gives every control a label, and has a control for every field of the registration schema", () => {
    const html = render({ errors: { email: "required" } });
    const ids = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"/g)].map(
      (match) => match[1],
    );
    const names = new Set(
      [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sname="([^"]+)"/g)].map((m) => m[1]),
    );

    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(html).toContain(`<label for="${id}">`);
    const traps = [honeypotField, stampField]; // the form's traps for scripts, not registration fields
    expect([...names].filter((name) => !traps.includes(name as string)).sort()).toEqual(
      Object.keys(registrationInputSchema.shape).sort(),
    );
  });

  it("helps browsers fill the form in and phones show the right keyboard", () => {
    const html = render();

    expect(tagWithId(html, "field-email")).toMatch(/type="email".*autocomplete="email".*inputmode="email"/);
    expect(tagWithId(html, "field-firstName")).toContain('autocomplete="given-name"');
    expect(tagWithId(html, "field-lastName")).toContain('autocomplete="family-name"');
    expect(tagWithId(html, "field-organisation")).toContain('autocomplete="organization"');
    expect(tagWithId(html, "field-jobTitle")).toContain('autocomplete="organization-title"');
    expect(tagWithId(html, "field-city")).toContain('autocomplete="address-level2"');
    expect(tagWithId(html, "field-country")).toContain('autocomplete="country"');
    expect(tagWithId(render({ event: publicView(webinar(demoForm)) }), "field-answers.practice")).toContain(
      'maxlength="2000"',
    );
  });

  it("posts the form to the given action", () => {
    const html = render({ action: "/events/mc2cm-webinar-4/registrations?lang=fr&x=1" });

    expect(html).toContain(
      '<form method="post" action="/events/mc2cm-webinar-4/registrations?lang=fr&amp;x=1" enctype="application/x-www-form-urlencoded"',
    );
  });

  it("lists every country, named in the page language and sorted as that language sorts", () => {
    const allCountries = render({ language: "fr" }).match(
      /<select id="field-country"[\s\S]*?<\/select>/,
    )?.[0];
    const options = [...(allCountries ?? "").matchAll(/<option value="([A-Z]{2})"[^>]*>([^<]+)</g)];
    const names = options.map((match) => match[2]);

    expect(options.length).toBeGreaterThanOrEqual(249);
    expect(names).toContain("Tunisie");
    expect(names.indexOf("Égypte")).toBeGreaterThan(names.indexOf("Danemark"));
    expect(names.indexOf("Égypte")).toBeLessThan(names.indexOf("Espagne"));
    for (const [, code] of options)
      expect(registrationInputSchema.shape.country.safeParse(code).success).toBe(true);
  });

  it("offers no country first unless the event lists some", () => {
    expect(render({ language: "fr" })).not.toContain("<optgroup");
  });

  it("offers the event's shortlist of countries first, selecting a chosen one there only", () => {
    const html = render({ event: publicView(webinar(demoForm)), language: "fr", values: { country: "TN" } });
    const mediterranean =
      html.match(/<optgroup label="Pays méditerranéens">([\s\S]*?)<\/optgroup>/)?.[1] ?? "";
    const names = [...mediterranean.matchAll(/<option value="[A-Z]{2}"[^>]*>([^<]+)</g)].map(
      (match) => match[1],
    );

    expect(html.indexOf('<optgroup label="Pays méditerranéens">')).toBeLessThan(
      html.indexOf('<optgroup label="Tous les pays">'),
    );
    expect(names).toEqual(
      expect.arrayContaining(["Égypte", "Espagne", "Liban", "Maroc", "Tunisie", "Turquie"]),
    );
    expect(names).toHaveLength(22);
    expect(names.indexOf("Égypte")).toBeLessThan(names.indexOf("Espagne"));
    expect(mediterranean).toContain('<option value="TN" selected>Tunisie</option>');
    expect(html.match(/ selected>Tunisie</g)).toHaveLength(1);
  });

  it("preselects the page language for emails", () => {
    expect(render({ language: "fr" })).toContain('<option value="fr" lang="fr" selected>Français</option>');
    expect(render({ language: "en" })).toContain('<option value="en" lang="en" selected>English</option>');
  });

  it("shows the privacy notice with the organisers and its version, and requires consent", () => {
    const html = render();
    const text = visibleText(html);

    expect(text).toContain("processed by the organisers of this webinar: UCLG and UNICEF");
    expect(text).toContain("cancel your registration at any time");
    expect(text).toContain(`Version of this notice: ${privacyNoticeVersion}`);
    expect(tagWithId(html, "field-consent")).toMatch(/type="checkbox".*required/);
    expect(tagWithId(html, "field-updates")).not.toContain("required");
  });

  it("shows each error next to its field and in a summary linking to it, with every value kept", () => {
    const html = render({
      event: publicView(webinar(demoForm)),
      values: {
        sessionId: "en",
        email: "ada@",
        firstName: "Ada",
        organisationType: "academia",
        country: "tn",
        "answers.questions": "How do cities\nshare data?",
        updates: "on",
      },
      errors: { email: "must be an email address such as name@example.org", consent: "you must accept" },
    });
    const email = tagWithId(html, "field-email");

    expect(email).toContain('value="ada@"');
    expect(email).toContain('aria-invalid="true"');
    expect(email).toMatch(/aria-describedby="[^"]*\bfield-email-error\b/);
    expect(visibleText(fieldBlock(html, "field-email"))).toContain(
      "Email address We will send your confirmation, the link to join and the reminders to this address. Error: Enter an email address such as name@example.org.",
    );
    expect(tagWithId(html, "field-consent")).toContain('aria-invalid="true"');
    expect(html).toMatch(/<a href="#field-email">Enter an email address[^<]*<\/a>/);
    expect(html).toMatch(/<a href="#field-consent">[^<]*privacy notice[^<]*<\/a>/);
    expect(tagWithId(html, "field-firstName")).toContain('value="Ada"');
    expect(tagWithId(html, "field-firstName")).not.toContain("aria-invalid");
    expect(html).toContain('<option value="academia" selected>');
    expect(html).toContain('<option value="TN" selected>Tunisia</option>');
    expect(html).toContain(">How do cities\nshare data?</textarea>");
    expect(tagWithId(html, "field-updates")).toContain("checked");
    expect(tagWithId(html, "field-sessionId-en")).toContain("checked");
    expect(html).toMatch(/<title>Error: Registration/);
  });

  it("words errors in the page language rather than the schema's English", () => {
    const html = render({
      language: "fr",
      values: { email: "ada@" },
      errors: { email: "must be an email address such as name@example.org" },
    });

    expect(visibleText(html)).toContain("Saisissez une adresse e-mail valide");
    expect(html).not.toContain("must be an email address");
  });

  it("asks for a required value left empty rather than stating the rules it breaks", () => {
    const html = render({
      language: "fr",
      values: { email: " ", firstName: "" },
      errors: { email: "required", firstName: "required" },
    });

    expect(visibleText(fieldBlock(html, "field-email"))).toContain(
      "Erreur : Saisissez votre adresse e-mail.",
    );
    expect(visibleText(fieldBlock(html, "field-firstName"))).toContain("Erreur : Saisissez votre prénom.");
    expect(html).toContain('<a href="#field-firstName">Saisissez votre prénom.</a>');
    expect(visibleText(html)).not.toContain("caractères au plus");
  });

  it("links the summary to the first session when no session was chosen", () => {
    const html = render({ errors: { sessionId: "choose a session" } });

    expect(html).toContain('<a href="#field-sessionId">Choose a session.</a>');
    expect(tagWithId(html, "field-sessionId")).toMatch(/type="radio".*aria-invalid="true"/);
  });

  it("escapes submitted values and event texts, so no markup gets through", () => {
    const attack = '"><script>alert(1)</script>';
    const event = publicView({ ...webinar(demoForm), title: { en: `<script>alert("title")</script>` } });
    const html = render({
      event,
      values: { firstName: attack, "answers.questions": `</textarea>${attack}` },
      errors: { [attack]: attack },
    });

    expect(html.replace(localTimeScript.html, "")).not.toContain("<script"); // only the page's own script
    expect(tagWithId(html, "field-firstName")).toContain(
      'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"',
    );
    expect(html).toContain("&lt;/textarea&gt;&quot;&gt;&lt;script&gt;");
  });
});
