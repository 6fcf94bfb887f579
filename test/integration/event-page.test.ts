import { describe, expect, inject, it } from "vitest";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
/** What Chromium and Firefox send when a link is opened. */
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8";

async function createEvent() {
  const id = uniqueId("event-page");
  const event = sampleEvent();
  const saved = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  expect(saved.status).toBe(201);
  return { id, event };
}

/** The schema.org data of a page: the JSON of its `application/ld+json` block. */
function structuredData(page: string) {
  const block = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1];
  if (!block) throw new Error("no JSON-LD block in the page");
  return JSON.parse(block) as { "@context": string; "@graph": Record<string, unknown>[] };
}

const metaContent = (page: string, property: string) =>
  new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)">`).exec(page)?.[1];

describe("GET /events/{eventId} for browsers and for scripts", () => {
  it("gives a browser the event's page: sessions with seats, a register link, link-preview tags and schema.org events", async () => {
    const { id, event } = await createEvent();

    const response = await request("GET", `/events/${id}`, {
      headers: { accept: browserAccept, "accept-language": "fr-FR,fr;q=0.9,en;q=0.5" },
    });
    const page = response.text;
    const data = structuredData(page);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("vary")).toBe("Accept");
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).toContain("<h1>Webinaire test</h1>");
    expect(page).toContain(`href="/events/${id}/register?lang=fr"`);
    expect(page).toContain("500 places restantes"); // the French session (the English one has no limit)
    expect(page).not.toContain("noindex");
    expect(page).not.toContain("fr-secret"); // join links are for registrants only
    expect(metaContent(page, "og:title")).toBe("Webinaire test");
    expect(metaContent(page, "og:url")).toBe(`${inject("api")}/events/${id}`);
    expect(metaContent(page, "twitter:card")).toBe("summary");
    expect(data["@context"]).toBe("https://schema.org");
    expect(data["@graph"].map((item) => [item["@type"], item.startDate, item.inLanguage])).toEqual(
      event.sessions.map((session) => ["Event", session.startsAt, session.language]),
    );
    expect(data["@graph"][0]).toMatchObject({
      eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
      location: { "@type": "VirtualLocation", url: `${inject("api")}/events/${id}` },
      organizer: { name: "UCLG and UNICEF" },
    });
  });

  it("gives a browser set to Arabic first, then French, the French page of an event without Arabic", async () => {
    const { id } = await createEvent();

    const response = await request("GET", `/events/${id}`, {
      headers: { accept: browserAccept, "accept-language": "ar, fr;q=0.5" },
    });

    expect(response.text).toContain('<html lang="fr" dir="ltr">');
    expect(response.text).toContain("<h1>Webinaire test</h1>");
    expect(response.text).toContain(`href="/events/${id}/register?lang=fr"`);
  });

  it("keeps answering JSON to scripts: no Accept, */*, or JSON asked", async () => {
    const { id } = await createEvent();

    const answers = await Promise.all(
      [undefined, "*/*", "application/json"].map((accept) =>
        request("GET", `/events/${id}`, { headers: accept ? { accept } : {} }),
      ),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.json.title.en).toBe("Test webinar");
      expect(answer.json.sessions[0].joinUrl).toBeUndefined();
    }
  });

  it("answers an unknown event with a page for browsers and the error shape for scripts", async () => {
    const forBrowser = await request("GET", "/events/no-such-event", { headers: { accept: browserAccept } });
    const forScript = await request("GET", "/events/no-such-event");

    expect(forBrowser.status).toBe(404);
    expect(forBrowser.headers.get("content-type")).toContain("text/html");
    expect(forScript.status).toBe(404);
    expect(forScript.json.error).toBe("not-found");
  });

  it("keeps an event's text from closing the structured data block", async () => {
    const id = uniqueId("event-page");
    const title = "</script><script>alert(1)</script>";
    await request("PUT", `/admin/events/${id}`, {
      body: { ...sampleEvent(), title: { en: title, fr: title } },
      admin: true,
    });

    const page = (await request("GET", `/events/${id}`, { headers: { accept: browserAccept } })).text;

    expect(page).not.toContain("<script>alert(1)");
    expect(structuredData(page)["@graph"][0]?.name).toBe(title);
  });
});
