import { describe, expect, inject, it } from "vitest";
import { noticeTemplateText, privacyNoticeVersion } from "../../shared/domain/privacy-notice.ts";
import { manageUrl } from "../../shared/registrations/links.ts";
import { findRegistration } from "../../shared/registrations/registration-store.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const api = inject("api");

async function createEvent(changes: Record<string, unknown> = {}) {
  const eventId = uniqueId("privacy");
  const created = await request("PUT", `/admin/events/${eventId}`, {
    body: { ...sampleEvent(), ...changes },
    admin: true,
  });
  expect(created.status, created.text).toBe(201);
  return eventId;
}

describe("the privacy notice of an event", () => {
  it("names the organiser as controller and contact by default, in French and in English", async () => {
    const eventId = await createEvent();

    const french = await request("GET", `/events/${eventId}/privacy?lang=fr`);
    const english = await request("GET", `/events/${eventId}/privacy`, {
      headers: { "accept-language": "en-GB" },
    });

    expect(french.status).toBe(200);
    expect(french.text).toContain('<html lang="fr" dir="ltr">');
    expect(french.text).toContain("Politique de confidentialité");
    expect(english.text).toContain('<html lang="en" dir="ltr">');
    for (const page of [french.text, english.text]) {
      expect(page).toContain("UCLG and UNICEF (organisers@example.org)");
      expect(page).toContain("Amazon SES");
      expect(page).toContain("365");
      expect(page).toContain(privacyNoticeVersion);
    }
    expect(english.text).toMatch(
      /Who is responsible[\s\S]*Why we use it[\s\S]*What we collect[\s\S]*Who receives it[\s\S]*How long we keep it[\s\S]*Your rights/,
    );
    expect(english.text).toContain(`href="/events/${eventId}/privacy?lang=fr"`);
  });

  it("names the controllers and contact the event sets", async () => {
    const eventId = await createEvent({
      privacy: {
        controllers: [
          { name: "UCLG", email: "privacy@uclg.example" },
          { name: "UNICEF", email: "dpo@unicef.example" },
        ],
        contact: "dpo@unicef.example",
      },
    });

    const page = await request("GET", `/events/${eventId}/privacy?lang=en`);

    expect(page.text).toContain("UCLG (privacy@uclg.example) and UNICEF (dpo@unicef.example)");
    expect(page.text).toContain("write to dpo@unicef.example");
  });

  it("refuses a controller name on two lines, and answers 404 for an unknown event", async () => {
    const refused = await request("PUT", `/admin/events/${uniqueId("privacy")}`, {
      body: {
        ...sampleEvent(),
        privacy: { controllers: [{ name: "UCLG\r\nBcc: x@y.z", email: "a@b.org" }] },
      },
      admin: true,
    });
    const missing = await request("GET", "/events/no-such-event/privacy?lang=en");

    expect(refused.status).toBe(400);
    expect(refused.json.issues[0].path).toBe("privacy.controllers.0.name");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("Page not found");
  });

  it("is linked from the registration form and the manage page", async () => {
    const eventId = await createEvent();
    const registered = await request("POST", `/events/${eventId}/registrations`, { body: registrant() });
    const manage = new URL(await manageUrl(api, registered.json.registrationId as string));

    const form = await request("GET", `/events/${eventId}/register?lang=fr`);
    const managePage = await request("GET", `${manage.pathname}${manage.search}&lang=en`);

    expect(form.text).toContain(`href="/events/${eventId}/privacy?lang=fr"`);
    expect(managePage.text).toContain(`href="/events/${eventId}/privacy?lang=en"`);
  });

  it("has a version derived from its text, stored with each consent with what it said of the event, which a later edit of the event does not change", async () => {
    expect(privacyNoticeVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.[0-9a-f]{8}$/);
    expect(noticeTemplateText()).toContain("{controller}");
    const privacy = {
      controllers: [{ name: "UCLG", email: "privacy@uclg.example.org" }],
      contact: "dpo@uclg.example.org",
    };
    const eventId = await createEvent({ privacy, retentionDays: 200 });
    const registered = await request("POST", `/events/${eventId}/registrations`, { body: registrant() });
    const edited = await request("PUT", `/admin/events/${eventId}`, {
      body: {
        ...sampleEvent(),
        privacy: { ...privacy, contact: "someone-else@example.org" },
        retentionDays: 30,
      },
      admin: true,
    });
    const stored = await findRegistration(registered.json.registrationId as string);

    expect([registered.status, edited.status]).toEqual([201, 200]);
    expect(stored?.consent.noticeVersion).toBe(privacyNoticeVersion);
    expect(stored?.consent.facts).toEqual({ ...privacy, retentionDays: 200 });
  });
});
