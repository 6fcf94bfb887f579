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
  const cancelAction = "/registrations/r-1/cancel?token=abc&lang=en";
  const myData = { registrationId: "r-1", token: "abc", language: "en" } as const;

  it("shows the registration and a cancel form posting to the given action, with a warning", () => {
    const html = renderManagePage({
      event: webinar(),
      registration: registration(),
      language: "en",
      cancelAction,
      myData,
    });
    const text = visibleText(html);

    expect(text).toContain("Amal Ben Salah");
    expect(text).toContain("Ville de Tunis");
    expect(text).toContain("Status Confirmed");
    expect(text).toMatch(/Thursday,? 4 March 2027 .*14:00 \(Central European Standard Time\)/);
    expect(text).toContain("This cannot be undone");
    expect(html).toContain(
      '<form method="post" action="/registrations/r-1/cancel?token=abc&amp;lang=en"><button type="submit" class="danger">Cancel my registration</button></form>',
    );
  });

  it("never shows a join URL, even when given the whole event", () => {
    const event = webinar();
    const html = renderManagePage({
      event,
      registration: registration(),
      language: "en",
      cancelAction,
      myData,
    });

    for (const session of event.sessions) expect(html).not.toContain(session.joinUrl);
    expect(html).not.toContain("webinar.example.org");
  });

  it("accepts the public view of an event", () => {
    const html = renderManagePage({
      event: publicView(webinar()),
      registration: registration(),
      language: "en",
      cancelAction,
      myData,
    });

    expect(html).toContain("Test webinar");
  });

  it("offers no cancel button for a registration already cancelled", () => {
    const html = renderManagePage({
      event: webinar(),
      registration: registration({ status: "cancelled" }),
      language: "en",
      cancelAction,
      myData,
    });

    expect(visibleText(html)).toContain("This registration has been cancelled.");
    expect(html).not.toContain("/cancel?");
    expect(html).not.toContain("Cancel my registration");
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
      cancelAction: "/registrations/r-1/cancel?token=abc&lang=fr",
      myData: { registrationId: "r-1", token: "abc", language: "fr" },
    });

    expect(html).toContain('href="/registrations/r-1/data?token=abc&amp;lang=fr" download');
    expect(html).toContain(
      '<form method="post" action="/registrations/r-1/erase?token=abc&amp;lang=fr"><button type="submit" class="danger">Supprimer mes données…</button></form>',
    );
    expect(html).not.toContain('name="confirm"');
  });
});
