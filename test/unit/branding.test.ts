import { describe, expect, it } from "vitest";
import { demoEvent } from "../../infra/local/demo-event.ts";
import { agendaTimes } from "../../shared/domain/agenda.ts";
import { contrastRatio, imageOrigins } from "../../shared/domain/branding.ts";
import {
  type EventInput,
  eventInputSchema,
  publicView,
  type WebinarEvent,
} from "../../shared/domain/event.ts";
import { renderDescriptionHtml } from "../../shared/mailings/content/description-html.ts";
import { renderEventPage } from "../../shared/pages/event-page.ts";
import { pageHeaders } from "../../shared/pages/layout.ts";
import { localTimeScriptHash } from "../../shared/pages/local-time.ts";
import { renderRegistrationForm } from "../../shared/pages/registration-form.ts";
import { sampleEvent } from "../support/sample-event.ts";

const issuesOf = (input: unknown) =>
  eventInputSchema
    .safeParse(input)
    .error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];

const logo = (url: string, name: string) => ({ url, alt: { fr: name, en: name } });

const webinar = (input: EventInput): WebinarEvent => ({
  ...eventInputSchema.parse(input),
  id: "branded",
  createdAt: "2026-11-01T10:00:00Z",
  updatedAt: "2026-11-01T10:00:00Z",
});

const now = new Date("2026-11-29T12:00:00Z");

describe("the accent colour", () => {
  it("computes WCAG contrast ratios", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    // Reference values of the WCAG formula (WebAIM's checker gives the same, rounded).
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("is refused under 4.5:1 against white, with a message that names the ratio", () => {
    const branded = (accentColour: string) => ({ ...sampleEvent(), branding: { accentColour } });

    expect(issuesOf(branded("#1CABE2"))).toEqual([
      "branding.accentColour: #1cabe2 has a contrast ratio of 2.63:1 against white; text and buttons need at least 4.5:1 (WCAG AA): choose a darker shade",
    ]);
    // 4.478:1 is written rounded down: a refused colour never reads as reaching the minimum.
    expect(issuesOf(branded("#777777"))[0]).toContain("4.47:1");
    expect(issuesOf(branded("#767676"))).toEqual([]);
    expect(issuesOf(branded("blue"))).toEqual([
      "branding.accentColour: must be a colour written #rrggbb, such as #0b4f9c",
    ]);
  });
});

describe("the organiser's name", () => {
  it("still accepts a plain string, as the same name in every language", () => {
    const parsed = eventInputSchema.parse(sampleEvent());

    expect(parsed.organiser.name).toEqual({
      fr: "UCLG and UNICEF",
      en: "UCLG and UNICEF",
      ar: "UCLG and UNICEF",
    });
    // What is stored is read back with the same schema: the normalised map parses as itself.
    expect(eventInputSchema.parse(parsed).organiser.name).toEqual(parsed.organiser.name);
  });

  it("is given per language, in each of the event's languages", () => {
    const event = sampleEvent();
    const organiser = (name: Record<string, string>) => ({
      ...event,
      organiser: { ...event.organiser, name },
    });

    expect(
      eventInputSchema.parse(organiser({ fr: "CGLU et UNICEF", en: "UCLG and UNICEF" })).organiser.name,
    ).toEqual({ fr: "CGLU et UNICEF", en: "UCLG and UNICEF" });
    expect(issuesOf(organiser({ en: "UCLG and UNICEF" }))).toEqual([
      'organiser.name.fr: give the organiser\'s name in "fr"',
    ]);
  });

  it("is shown in the page's language", () => {
    const event = webinar({
      ...sampleEvent(),
      organiser: { name: { fr: "CGLU", en: "UCLG" }, email: "o@example.org" },
    });
    const page = (language: "fr" | "en") =>
      renderRegistrationForm({ event: publicView(event), seatsLeft: {}, language, action: "/post", now });

    expect(page("fr")).toContain("Organisé par CGLU");
    expect(page("en")).toContain("Organised by UCLG");
  });
});

describe("logos, banner and agenda", () => {
  it("take https images only, with alt texts in the event's languages, 1 to 4 logos", () => {
    const event = sampleEvent();
    const branded = (branding: unknown) => issuesOf({ ...event, branding });

    expect(branded({ logos: [logo("https://cdn.example.org/uclg.png", "UCLG")] })).toEqual([]);
    expect(branded({ logos: [logo("http://cdn.example.org/uclg.png", "UCLG")] })).toEqual([
      "branding.logos.0.url: must be an https URL",
    ]);
    expect(branded({ logos: [{ url: "https://cdn.example.org/uclg.png", alt: { en: "UCLG" } }] })).toEqual([
      'branding.logos.0.alt.fr: give the alt text in "fr"',
    ]);
    expect(branded({ logos: [] })[0]).toMatch(/^branding\.logos: /);
    expect(
      branded({ logos: Array.from({ length: 5 }, () => logo("https://a.example.org/l.png", "L")) })[0],
    ).toMatch(/^branding\.logos: /);
    expect(branded({ bannerUrl: "https://cdn.example.org/banner.png" })).toEqual([
      "branding.bannerAlt: describe the banner (alt text)",
    ]);
  });

  it("answer an address that is no URL, or whose host could break the page's policy, with a 400's message", () => {
    const event = sampleEvent();
    const branded = (branding: unknown) => issuesOf({ ...event, branding });

    expect(branded({ logos: [logo("uclg-logo.png", "UCLG")] })).toEqual([
      "branding.logos.0.url: must be an https URL",
    ]);
    expect(branded({ bannerUrl: "banner.jpg", bannerAlt: { fr: "B", en: "B" } })).toEqual([
      "branding.bannerUrl: must be an https URL",
    ]);
    expect(branded({ logos: [logo("https://a;b.example/x.png", "UCLG")] })).toEqual([
      "branding.logos.0.url: the host may hold only letters, digits, dots and hyphens",
    ]);
  });

  it("computes each part's start from the minutes before it, and refuses parts longer than the session", () => {
    const parts = [{ minutes: 45 }, { minutes: 25 }, { minutes: 20 }];
    expect(agendaTimes("2027-03-04T09:00:00Z", parts).map((part) => part.startsAt)).toEqual([
      "2027-03-04T09:00:00.000Z",
      "2027-03-04T09:45:00.000Z",
      "2027-03-04T10:10:00.000Z",
    ]);

    const event = sampleEvent();
    const [fr, en] = event.sessions;
    const agenda = [{ title: { fr: "Tout", en: "All" }, minutes: 100 }];
    expect(issuesOf({ ...event, sessions: [{ ...fr, agenda }, en] })).toEqual([
      "sessions.0.agenda: the parts last 100 minutes, longer than the session's 90",
    ]);
  });

  it("are public, join links still not", () => {
    const view = publicView(webinar(demoEvent(now)));

    expect(view.branding?.logos).toHaveLength(3);
    expect(view.sessions[0]?.agenda?.map((part) => part.minutes)).toEqual([45, 25, 20]);
    expect(JSON.stringify(view)).not.toContain("webinar.example.org/j/");
  });
});

describe("the pages' Content-Security-Policy", () => {
  it("lets images load from exactly the event's image origins, and nothing else is widened", () => {
    const branding = eventInputSchema.parse({
      ...sampleEvent(),
      branding: {
        logos: [
          logo("https://cdn.example.org/a.png", "A"),
          logo("https://cdn.example.org/b.png", "B"),
          logo("https://logos.example.net:8443/c.svg", "C"),
        ],
        bannerUrl: "https://media.example.com/banner.jpg",
        bannerAlt: { fr: "Bannière", en: "Banner" },
      },
    }).branding;

    const policy = pageHeaders(branding)["content-security-policy"] ?? "";

    expect(imageOrigins(branding)).toEqual([
      "https://cdn.example.org",
      "https://logos.example.net:8443",
      "https://media.example.com",
    ]);
    expect(policy.split("; ")).toEqual([
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      "img-src 'self' data: https://cdn.example.org https://logos.example.net:8443 https://media.example.com",
      `script-src ${localTimeScriptHash}`,
      "form-action 'self'",
    ]);
    expect(pageHeaders(undefined)["content-security-policy"]).toContain("img-src 'self' data:;");
  });
});

describe("the description", () => {
  /** The English event page of an event with this description, rendered as `putEvent` saves it. */
  function eventPageDescribing(description: string) {
    const settings = webinar({ ...sampleEvent(), description: { fr: description, en: description } });
    // As the event is saved (putEvent): the description rendered once, then shown by the pages.
    const event = { ...settings, descriptionHtml: renderDescriptionHtml(settings.description) };
    return renderEventPage({
      event: publicView(event),
      language: "en",
      seatsLeft: {},
      pageUrl: "https://convene.example.org/events/described",
    });
  }

  it("is rendered from Markdown, sanitised: no script, no javascript: link, raw HTML shown as text", () => {
    const description = `First paragraph with a [link](https://example.org/more).

<script>alert("x")</script>

- [bad](javascript:alert(1))
- <img src=x onerror=alert(1)>`;

    const page = eventPageDescribing(description);
    const body = page.slice(page.indexOf("<main>"), page.indexOf("</main>"));

    expect(body).toContain('<a href="https://example.org/more"');
    expect(body).not.toContain("<script");
    expect(body).not.toContain("<img src=x");
    expect(body).not.toContain("javascript:");
    expect(body).toContain("&lt;script&gt;");
    // Only the first paragraph is shown at first; the rest is folded.
    expect(body.indexOf("First paragraph")).toBeLessThan(
      body.indexOf("<details><summary>Read the full description"),
    );
    expect(body.indexOf("<details><summary>Read the full description")).toBeLessThan(
      body.indexOf("&lt;script&gt;"),
    );
  });

  it("keeps the event's title the page's one h1: the description's headings start at h2", () => {
    const page = eventPageDescribing("# Programme\n\nOpening.\n\n## Speakers\n\n###### Notes");
    const headings = [...page.matchAll(/<h(\d)[^>]*>([^<]*)</g)].map(
      ([, level, text]) => `h${level} ${text}`,
    );

    expect(headings.filter((heading) => heading.startsWith("h1"))).toHaveLength(1);
    expect(headings).toEqual(expect.arrayContaining(["h2 Programme", "h3 Speakers", "h6 Notes"]));
  });
});
