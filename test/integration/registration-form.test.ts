import { describe, expect, it } from "vitest";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();

async function createEvent() {
  const id = uniqueId("form");
  await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
  return id;
}

const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const validFields = () => ({
  sessionId: "fr",
  email: `${uniqueId("form")}@example.org`,
  firstName: "Amina",
  lastName: "Benali",
  organisation: "Ville de Tunis",
  organisationType: "local-government",
  country: "TN",
  consent: "on",
});

describe("registration form", () => {
  it("serves the form in French for ?lang=fr and for a French browser, in English otherwise", async () => {
    const id = await createEvent();

    const byQuery = await request("GET", `/events/${id}/register?lang=fr`);
    const byBrowser = await request("GET", `/events/${id}/register`, {
      headers: { "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" },
    });
    const english = await request("GET", `/events/${id}/register`);

    expect(byQuery.status).toBe(200);
    expect(byQuery.text).toContain('lang="fr"');
    expect(byQuery.text).toContain("Webinaire test");
    expect(byBrowser.text).toContain('lang="fr"');
    expect(english.text).toContain('lang="en"');
    expect(english.text).toContain(`action="/events/${id}/registrations?lang=en"`);
    expect(english.text).not.toContain("secret");
  });

  it("gives a phone set to Arabic first, then French, the French form of an event without Arabic", async () => {
    const id = await createEvent();
    const arabicFirst = { "accept-language": "ar, fr;q=0.5" };

    const page = (await request("GET", `/events/${id}/register`, { headers: arabicFirst })).text;
    // A ?lang= of a language the event does not offer is no different.
    const asked = (await request("GET", `/events/${id}/register?lang=ar`, { headers: arabicFirst })).text;

    for (const form of [page, asked]) {
      expect(form).toContain('<html lang="fr" dir="ltr">');
      expect(form).toContain("Webinaire test");
      // The mails' language: French preselected, and no Arabic to choose.
      expect(form).toContain('<option value="fr" lang="fr" selected>Français</option>');
      expect(form).not.toContain('<option value="ar"');
    }
  });

  it("answers a form post with errors with the form again: errors by their fields, values kept, 400", async () => {
    const id = await createEvent();

    const response = await request("POST", `/events/${id}/registrations?lang=fr`, {
      rawBody: formBody({
        ...validFields(),
        email: "pas-un-email",
        consent: "",
        firstName: '<script>alert("x")</script>',
      }),
      contentType: "application/x-www-form-urlencoded",
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.text).toContain('lang="fr"');
    expect(response.text).toMatch(/id="field-email"[^>]*aria-invalid="true"/);
    expect(response.text).toContain('value="pas-un-email"');
    expect(response.text).not.toContain("<script>alert");
    expect(response.text).toContain("&lt;script&gt;");
  });

  it("refuses a form post without the consent box (an unticked box is not sent at all) and stores nothing", async () => {
    const id = await createEvent();
    const { consent: _unticked, ...fields } = validFields();

    const response = await request("POST", `/events/${id}/registrations?lang=en`, {
      rawBody: formBody(fields),
      contentType: "application/x-www-form-urlencoded",
    });
    const stored = await request("GET", `/admin/events/${id}/registrations`, { admin: true });

    expect(response.status).toBe(400);
    expect(response.text).toMatch(/id="field-consent"[^>]*aria-invalid="true"/);
    expect(stored.json.registrations).toEqual([]);
  });

  it("answers a valid form post with a thank-you page in the same language", async () => {
    const id = await createEvent();

    const response = await request("POST", `/events/${id}/registrations?lang=fr`, {
      rawBody: formBody(validFields()),
      contentType: "application/x-www-form-urlencoded",
    });

    expect(response.status).toBe(201);
    expect(response.text).toContain('lang="fr"');
    expect(response.text).toContain("Amina");
  });
});
