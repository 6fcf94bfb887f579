import { describe, expect, it } from "vitest";
import { eventInputSchema, publicView, type WebinarEvent } from "../../shared/domain/event.ts";
import { privacyNoticeVersion, type Registration } from "../../shared/domain/registration.ts";
import {
  renderCancelled,
  renderManagePage,
  renderMessagePage,
  renderThankYou,
} from "../../shared/pages/registration-pages.ts";
import { pageTexts } from "../../shared/pages/texts/index.ts";
import { sampleEvent } from "../support/sample-event.ts";

function webinar(): WebinarEvent {
  const input = sampleEvent();
  const [fr, en] = input.sessions;
  const settings = eventInputSchema.parse({
    ...input,
    sessions: [
      { ...fr, startsAt: "2027-03-04T09:00:00Z" },
      { ...en, startsAt: "2027-03-04T13:00:00Z" },
    ],
  });
  return {
    ...settings,
    id: "mc2cm-webinar-4",
    createdAt: "2027-01-01T00:00:00Z",
    updatedAt: "2027-01-01T00:00:00Z",
  };
}

function registration(overrides: Partial<Registration> = {}): Registration {
  return {
    registrationId: "r-1",
    eventId: "mc2cm-webinar-4",
    sessionId: "en",
    email: "amal@tunis.example",
    firstName: "Amal",
    lastName: "Ben Salah",
    organisation: "Ville de Tunis",
    organisationType: "local-government",
    country: "TN",
    language: "en",
    updates: false,
    consent: { acceptedAt: "2027-02-01T10:00:00Z", noticeVersion: privacyNoticeVersion },
    status: "confirmed",
    createdAt: "2027-02-01T10:00:00Z",
    updatedAt: "2027-02-01T10:00:00Z",
    confirmationNumber: 1,
    ...overrides,
  };
}

const visibleText = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/gu, " ");

describe("thank-you page", () => {
  it("asks a confirmed registrant to look for the confirmation and calendar invitation", () => {
    const text = visibleText(
      renderThankYou({ event: webinar(), registration: registration(), language: "en" }),
    );

    expect(text).toContain("You are registered");
    expect(text).toContain(
      "check your inbox: we have sent you a confirmation email with a calendar invitation",
    );
    expect(text).toMatch(/Thursday,? 4 March 2027 .*13:00 UTC/);
    expect(text).toContain("amal@tunis.example");
  });

  it("explains the waiting list to a waitlisted registrant", () => {
    const text = visibleText(
      renderThankYou({
        event: webinar(),
        registration: registration({ status: "waitlisted" }),
        language: "en",
      }),
    );

    expect(text).toContain("You are on the waiting list");
    expect(text).toContain("If a seat becomes free, we will let you know by email");
    expect(text).not.toContain("You are registered");
  });

  it("tells someone already registered that the confirmation goes again, without showing whose it is", () => {
    const text = visibleText(
      renderThankYou({
        event: webinar(),
        registration: registration(),
        language: "en",
        outcome: "already-registered",
      }),
    );

    expect(text).toContain("You are already registered");
    expect(text).toContain("We send it the confirmation email again");
    // Anyone can type someone else's address into the form: nothing of the stored registration shows.
    expect(text).not.toContain(registration().lastName);
    expect(text).not.toContain(registration().organisation);
  });

  it("speaks French on a French page", () => {
    const html = renderThankYou({ event: webinar(), registration: registration(), language: "fr" });

    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(visibleText(html)).toContain("Votre inscription est confirmée");
    expect(visibleText(html)).toContain("Langue : anglais");
  });
});

describe("manage page", () => {
  const link = { registrationId: "r-1", token: "abc", language: "en" } as const;
  const now = new Date("2027-02-10T10:00:00Z");
  const manage = (overrides: Partial<Parameters<typeof renderManagePage>[0]> = {}) =>
    renderManagePage({
      event: webinar(),
      registration: registration(),
      language: "en",
      link,
      seatsLeft: { fr: 3, en: null },
      now,
      ...overrides,
    });

  it("shows the registration and a cancel form posting to the token's action, with a warning", () => {
    const html = manage();
    const text = visibleText(html);

    expect(text).toContain("Amal Ben Salah");
    expect(text).toContain("Ville de Tunis");
    expect(text).toContain("Confirmed You have a seat");
    expect(text).toMatch(/Thursday,? 4 March 2027 .*14:00 \(Central European Standard Time\)/);
    expect(text).toContain("This cannot be undone");
    expect(html).toContain(
      '<form method="post" action="/registrations/r-1/cancel?token=abc&amp;lang=en"><button type="submit" class="danger">Cancel my registration</button></form>',
    );
  });

  it("gives a confirmed registrant the join link and the calendar links, without the manage link", () => {
    const html = manage();
    const google = /href="(https:\/\/calendar\.google\.com\/[^"]+)"/.exec(html)?.[1] ?? "";
    const outlook = /href="(https:\/\/outlook\.live\.com\/[^"]+)"/.exec(html)?.[1] ?? "";
    const googleUrl = new URL(google.replace(/&amp;/g, "&"));

    expect(html).toContain('href="https://webinar.example.org/j/en-secret"');
    expect(html).toContain('href="/registrations/r-1/calendar?token=abc&amp;lang=en" download');
    expect(googleUrl.searchParams.get("dates")).toBe("20270304T130000Z/20270304T143000Z");
    expect(googleUrl.searchParams.get("text")).toBe("Test webinar");
    expect(googleUrl.searchParams.get("details")).toContain("https://webinar.example.org/j/en-secret");
    expect(outlook).toContain("startdt=2027-03-04T13%3A00%3A00.000Z");
    for (const url of [google, outlook]) expect(url).not.toMatch(/token|registrations/);
  });

  it("shows no join link nor calendar to the waitlisted, and none once the session has ended", () => {
    const waitlisted = manage({ registration: registration({ status: "waitlisted" }) });
    const ended = manage({ now: new Date("2027-03-05T00:00:00Z") });

    expect(visibleText(waitlisted)).toContain("On the waiting list");
    expect(visibleText(ended)).toContain("This session has ended");
    for (const html of [waitlisted, ended]) {
      expect(html).not.toContain("webinar.example.org");
      expect(html).not.toContain("/calendar?");
    }
  });

  it("says the organisers cancelled the session and leads to the switch between the open sessions", () => {
    const event = webinar();
    const cancelled = {
      ...event,
      sessions: event.sessions.map((session) =>
        session.id === "en" ? { ...session, cancelledAt: "2027-02-09T00:00:00Z" } : session,
      ),
    };
    const html = manage({ event: cancelled });

    expect(visibleText(html)).toContain("This session was cancelled by the organisers");
    // The page's own switch: the form would answer "already registered".
    expect(html).toContain('<a class="standalone" href="#switch-title">Choose another session</a>');
    expect(html).toContain('<h2 id="switch-title">');
    expect(html).not.toContain("en-secret");
    expect(html).toContain('<input type="radio" id="switch-fr" name="sessionId" value="fr" required>');
  });

  it("offers the other open sessions to switch to, with their seats or the waiting list", () => {
    const html = manage();
    const full = manage({ seatsLeft: { fr: 0, en: null } });

    expect(html).toContain('action="/registrations/r-1/switch?token=abc&amp;lang=en"');
    expect(html).toContain('value="fr"');
    expect(html).not.toContain('value="en"');
    expect(visibleText(html)).toContain("3 seats left");
    expect(visibleText(full)).toContain("Full: you would join the waiting list");
  });

  it("offers nothing to change on a registration already cancelled", () => {
    const html = manage({ registration: registration({ status: "cancelled" }) });

    expect(visibleText(html)).toContain("This registration has been cancelled.");
    expect(html).not.toContain("/cancel?");
    expect(html).not.toContain("/switch?");
    expect(html).not.toContain("Cancel my registration");
  });

  it("is right to left in Arabic and says what a switch did", () => {
    const html = manage({ language: "ar", link: { ...link, language: "ar" }, done: "switched" });

    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('role="status"');
    expect(visibleText(html)).toContain("لديك مقعد في جلستك الجديدة");
  });
});

describe("cancelled page", () => {
  it("confirms the cancellation and has no cancel button", () => {
    const html = renderCancelled({
      event: webinar(),
      registration: registration({ status: "cancelled" }),
      language: "fr",
    });

    expect(visibleText(html)).toContain("Votre inscription est annulée");
    expect(html).not.toContain("<form");
    expect(html).not.toContain("<button");
  });

  it("links to the form in the page language, for who changes their mind", () => {
    const html = renderCancelled({
      event: webinar(),
      registration: registration({ status: "cancelled" }),
      language: "fr",
    });

    expect(html).toMatch(
      /<a [^>]*href="\/events\/mc2cm-webinar-4\/register\?lang=fr">Vous inscrire à nouveau<\/a>/,
    );
  });
});

describe("message page", () => {
  it("says registration is closed in the page language", () => {
    const html = renderMessagePage({
      language: "fr",
      ...pageTexts.fr.messages.registrationClosed,
      status: 410,
    });

    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain("<h1>Les inscriptions sont closes</h1>");
    expect(html).not.toContain("410");
  });

  it("shows the status of a server error, for the registrant to quote", () => {
    const html = renderMessagePage({ language: "en", ...pageTexts.en.messages.error, status: 500 });

    expect(visibleText(html)).toContain("Error code: 500");
  });

  it("escapes the title and message", () => {
    const html = renderMessagePage({
      language: "en",
      title: "<b>x</b>",
      message: "<script>x</script>",
      status: 400,
    });

    expect(html).not.toMatch(/<b>|<script/);
  });
});

describe("the registrant's data on the manage page", () => {
  it("links the download and asks before deleting: the button posts without confirm", () => {
    const html = renderManagePage({
      event: webinar(),
      registration: registration(),
      language: "fr",
      link: { registrationId: "r-1", token: "abc", language: "fr" },
      seatsLeft: {},
      now: new Date("2027-02-10T10:00:00Z"),
    });

    expect(html).toContain('href="/registrations/r-1/data?token=abc&amp;lang=fr" download');
    expect(html).toContain(
      '<form method="post" action="/registrations/r-1/erase?token=abc&amp;lang=fr"><button type="submit" class="danger">Supprimer mes données…</button></form>',
    );
    expect(html).not.toContain('name="confirm"');
  });
});

describe("the registrant's own pages", () => {
  const link = { registrationId: "r-1", token: "abc", language: "en" } as const;
  const now = new Date("2027-02-10T10:00:00Z");
  const withQuestions = (): WebinarEvent => ({
    ...webinar(),
    form: eventInputSchema.parse({
      ...sampleEvent(),
      form: {
        fields: { department: "off" },
        questions: [
          {
            id: "topic",
            type: "multiple-choice",
            required: true,
            label: { fr: "Thèmes", en: "Topics" },
            choices: [
              { id: "housing", label: { fr: "Logement", en: "Housing" } },
              { id: "school", label: { fr: "École", en: "School" } },
            ],
          },
          { id: "first", type: "yes-no", label: { fr: "Première fois ?", en: "First time?" } },
        ],
      },
    }).form,
  });

  it("fills the correction form with what is stored, without the email, session or consent, and says how to change the email", () => {
    const html = renderManagePage({
      event: withQuestions(),
      registration: registration({ answers: { topic: ["school"], first: false } }),
      language: "en",
      link,
      seatsLeft: {},
      now,
    });
    const form =
      /<form method="post" action="\/registrations\/r-1\/details\?token=abc&amp;lang=en"[\s\S]*?<\/form>/.exec(
        html,
      )?.[0];

    expect(form).toContain('name="firstName" value="Amal"');
    expect(form).toMatch(/name="answers\.topic\.school" value="on" checked/);
    expect(form).not.toMatch(/name="answers\.topic\.housing" value="on" checked/);
    expect(form).toMatch(/name="answers\.first" value="no" checked/);
    expect(form).not.toMatch(/name="(email|sessionId|consent|department)"/);
    expect(html).toMatch(/<details class="correction">/);
    expect(visibleText(html)).toContain(
      "cancel this registration and register again with it, or write to the organisers",
    );
  });

  it("opens the correction form with the problems next to their fields and the typed values kept", () => {
    const html = renderManagePage({
      event: withQuestions(),
      registration: registration(),
      language: "fr",
      link: { ...link, language: "fr" },
      seatsLeft: {},
      now,
      correction: { values: { firstName: "", lastName: "Ben Salah" }, errors: { firstName: "required" } },
    });

    expect(html).toMatch(/<details class="correction" open>/);
    expect(html).toMatch(/id="field-firstName"[^>]*aria-invalid="true"/);
    expect(html).toContain('name="lastName" value="Ben Salah"');
    expect(visibleText(html)).toContain("Merci de corriger les points suivants");
  });

  it("makes the thank-you page a card with next steps and the manage and .ics links; an address registered before gets neither", () => {
    const own = { event: webinar(), link, now };
    const fresh = renderThankYou({
      event: publicView(webinar()),
      registration: registration(),
      language: "en",
      own,
    });
    const again = renderThankYou({
      event: publicView(webinar()),
      registration: registration(),
      language: "en",
      outcome: "already-registered",
      own,
    });

    expect(fresh).toContain('href="/registrations/r-1?token=abc&amp;lang=en"');
    expect(fresh).toContain('href="/registrations/r-1/calendar?token=abc&amp;lang=en" download');
    expect(visibleText(fresh)).toContain("Next steps");
    expect(visibleText(fresh)).toContain("Amal Ben Salah");
    expect(again).not.toContain("token=");
    expect(again).not.toContain("Amal");
  });
});
