import { describe, expect, inject, it } from "vitest";
import { demoEvent } from "../../infra/local/demo-event.ts";
import { manageLinkIn, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");
const api = inject("api");

/** The demo event (UCLG / UNICEF / CSIPDHR logos, accent, banner, agenda) under a fresh id. */
async function createDemoEvent() {
  const id = uniqueId("branded");
  const event = demoEvent(new Date());
  const saved = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  expect(saved.status).toBe(201);
  return { id, event };
}

/** Text with tags removed and spaces collapsed, as a reader sees it. */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("an event's branding and agenda", () => {
  it("refuses an accent colour under WCAG AA with a 400 that names its contrast ratio", async () => {
    const response = await request("PUT", `/admin/events/${uniqueId("pale")}`, {
      body: { ...sampleEvent(), branding: { accentColour: "#1cabe2" } },
      admin: true,
    });

    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([
      expect.objectContaining({
        path: "branding.accentColour",
        message: expect.stringContaining("contrast ratio of 2.63:1 against white"),
      }),
    ]);
  });

  it("shows the organisers' identity, the summary and the agenda at the top of the form, and lets exactly the logos' origin through the CSP", async () => {
    const { id } = await createDemoEvent();

    const response = await request("GET", `/events/${id}/register?lang=fr`);
    const page = response.text;
    const text = visible(page);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toMatch(
      /(^|; )img-src 'self' data: https:\/\/placehold\.co(;|$)/,
    );
    expect(page).toContain('<img src="https://placehold.co/240x96/ffffff/003f72/png?text=UCLG" alt="CGLU">');
    expect(page).toContain('<body class="wide" style="--accent:#00689d">');
    expect(page).toContain('alt="Migration méditerranéenne de ville à ville (MC2CM), webinaire 4"');
    // The summary: title, organisers in French, each session's time, language, duration and seats.
    expect(text).toContain("Organisé par CGLU, l’UNICEF et la Commission");
    expect(text).toMatch(
      /10:00 \(heure normale d’Europe centrale\).*09:00 UTC.*Langue : français · Durée : 90 minutes.*500 places restantes/,
    );
    // Each session's agenda: parts with their times, moderators and speakers, from the minutes.
    expect(text).toContain(
      "10:00 – 10:45 Apprentissage entre pairs : les villes partagent leurs pratiques Modération : CGLU",
    );
    expect(text).toContain("10:45 – 11:10 Présentation de l’UNICEF");
    expect(text).toContain("11:10 – 11:30 Questions-réponses");
    // The description from Markdown, folded after its first paragraph.
    expect(page).toMatch(
      /<details><summary>Lire la description complète<\/summary>.*<strong>Objectifs<\/strong>/s,
    );
  });

  it("renders the description from its Markdown on save, replacing any HTML a client sends", async () => {
    const id = uniqueId("described");
    const description = { fr: "Premier paragraphe.\n\nLa suite.", en: "First paragraph.\n\nThe rest." };
    const saved = await request("PUT", `/admin/events/${id}`, {
      body: { ...sampleEvent(), description, descriptionHtml: { en: { lead: "<script>alert(1)</script>" } } },
      admin: true,
    });
    const page = await request("GET", `/events/${id}/register?lang=en`);

    expect(saved.status).toBe(201);
    expect(saved.json.descriptionHtml.en.lead).not.toContain("<script");
    expect(page.text).not.toContain("<script>alert");
    expect(page.text).toMatch(
      /First paragraph\.<\/p>\s*<details><summary>Read the full description<\/summary><p[^>]*>The rest\.<\/p>/,
    );
  });

  it("gives the public page link-preview tags with the banner, and a canonical URL that request headers cannot change", async () => {
    const { id, event } = await createDemoEvent();

    const response = await request("GET", `/events/${id}?lang=en`, {
      headers: { accept: "text/html", "x-forwarded-proto": "gopher" },
    });
    const page = response.text;

    expect(page).toContain(`<link rel="canonical" href="${api}/events/${id}">`);
    expect(page).toContain(`<meta property="og:image" content="${event.branding?.bannerUrl}">`);
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(visible(page)).toContain("UNICEF presentation: protecting unaccompanied and separated children");
    expect(response.headers.get("content-security-policy")).toContain(
      "img-src 'self' data: https://placehold.co;",
    );
  });

  it("sends a confirmation with the event's logo and colour, whose text part alone is enough to join", async () => {
    const { id } = await createDemoEvent();
    const email = `${uniqueId("branded")}@example.org`;

    const registered = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ email, sessionId: "en", language: "en" }),
    });
    const [mail] = await waitForMails(outbox, email);
    const html = String(mail?.parsed.html);
    const text = mail?.parsed.text ?? "";

    expect(registered.status).toBe(201);
    expect(html).toContain(
      '<img src="https://placehold.co/240x96/ffffff/00689d/png?text=UNICEF" alt="UNICEF"',
    );
    expect(html).toContain("background:#00689d;color:#ffffff"); // the join button, in the event's colour
    expect(text).toContain("Join link: https://webinar.example.org/j/mc2cm-webinar-4-en");
    expect(text).toMatch(/Date and time: .* at 14:00 \(Central European Standard Time\)/);
    expect(text).toMatch(/In UTC: .* at 13:00 UTC/);
    expect(manageLinkIn(mail as NonNullable<typeof mail>)).toMatch(/\/registrations\/[\w-]+\?token=/);
    expect(text).toContain("14:00 – 14:45  Peer learning: cities share their practices\n    Moderator: UCLG");
    expect(text).not.toContain("<img");
  });
});
