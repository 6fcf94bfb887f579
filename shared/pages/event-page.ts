import { formatSessionTime, sessionEnd } from "../domain/dates.ts";
import type { PublicEvent } from "../domain/event.ts";
import { type Language, locales, pickText } from "../domain/languages.ts";
import { isSessionOpen } from "../domain/registration-form.ts";
import { markup, renderedHtml } from "../html.ts";
import { pathTo } from "../paths.ts";
import { renderLayout } from "./layout.ts";
import {
  closedMessage,
  eventDescription,
  eventLanguages,
  langOf,
  registrationFormPath,
  sessionSummary,
} from "./parts.ts";
import { eventPageTexts } from "./texts/event-page.ts";
import { pageTexts } from "./texts/index.ts";

export interface EventPageOptions {
  event: PublicEvent;
  language: Language;
  /** Seats left per session: `null` for no limit, 0 when newcomers would be waitlisted. */
  seatsLeft: Record<string, number | null>;
  /**
   * The page's own absolute URL, without query, under the deployment's `PUBLIC_URL`: the
   * canonical link, Open Graph's and schema.org's. Never built from request headers such as
   * `X-Forwarded-Proto`, which a client can set.
   */
  pageUrl: string;
}

/**
 * The public page of an event for browsers (`GET /events/{eventId}` asking for HTML): what it is,
 * who organises it (with their logos), each session with its times, seats and agenda, and the way
 * to register; with Open Graph and Twitter card tags (the banner as the image), so a link shared in
 * a newsletter or on social media shows the title, date and image, and schema.org `Event` data
 * (one per session, online), so search engines show it. Indexable, unlike the pages that answer
 * one registrant.
 */
export function renderEventPage({ event, language, seatsLeft, pageUrl }: EventPageOptions, now = new Date()) {
  const texts = pageTexts[language];
  const own = eventPageTexts[language];
  const title = pickText(event.title, language);
  const description = pickText(event.description, language);
  const upcoming = event.sessions.filter((session) => isSessionOpen(session, now));
  // Outside the registration window: why there is no Register button, and no seats on offer.
  const closed = closedMessage(event, language, now);
  const others = eventLanguages(event)
    .filter((other) => other !== language)
    .map(
      (other) =>
        markup`<a href="${pathTo("publicEvent", { eventId: event.id }, { lang: other })}" hreflang="${other}" lang="${other}">${pageTexts[other].languageName}</a>`,
    );
  const sessions = event.sessions.map((session) =>
    sessionSummary(session, language, closed ? null : (seatsLeft[session.id] ?? null), "open"),
  );
  const banner = event.branding?.bannerUrl;
  const bannerAlt = event.branding?.bannerAlt && pickText(event.branding.bannerAlt, language);
  const firstSession = upcoming[0] ?? event.sessions[0];
  // Link previews show the title and the first line: the date of the next session leads it.
  const preview = [
    firstSession && formatSessionTime(firstSession.startsAt, firstSession.timezone, language).local,
    summaryOf(description),
  ]
    .filter(Boolean)
    .join(" – ");
  const head = markup`<link rel="canonical" href="${pageUrl}">
${eventLanguages(event).map((other) => markup`<link rel="alternate" hreflang="${other}" href="${pageUrl}?lang=${other}">`)}
<meta name="description" content="${preview}">
<meta property="og:type" content="website">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${preview}">
<meta property="og:url" content="${pageUrl}">
<meta property="og:locale" content="${new Intl.Locale(locales[language]).baseName.replace("-", "_")}">
${
  banner &&
  markup`<meta property="og:image" content="${banner}">
${bannerAlt && markup`<meta property="og:image:alt" content="${bannerAlt}">`}`
}
<meta name="twitter:card" content="${banner ? "summary_large_image" : "summary"}">
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${preview}">
${banner && markup`<meta name="twitter:image" content="${banner}">`}
<script type="application/ld+json">${renderedHtml(jsonLd(event, language, pageUrl))}</script>`;
  const register = closed
    ? markup`<p class="notice">${closed.message}</p>`
    : upcoming.length > 0 &&
      markup`<p><a class="button" href="${registrationFormPath(event.id, language)}">${own.register}</a></p>`;
  return renderLayout({
    language,
    title,
    indexable: true,
    head,
    branding: event.branding,
    header: markup`<nav aria-label="${texts.languageSwitchLabel}">${others}</nav>`,
    content: markup`<p class="kicker">${own.kicker}</p>
<h1${langOf(event.title, language)}>${title}</h1>
<p class="muted"${langOf(event.organiser.name, language)}>${texts.form.organisedBy(pickText(event.organiser.name, language))}</p>
${register}
<h2>${own.sessionsTitle}</h2>
<p class="hint">${own.utcNote}</p>
<ul class="sessions">${sessions}</ul>
${eventDescription(event, language)}
${register}`,
  });
}

/** The first paragraph of the description, cut to what link previews show (about 200 characters). */
function summaryOf(description: string): string {
  const first =
    description
      .split(/\n\s*\n/)[0]
      ?.replace(/\s+/g, " ")
      .trim() ?? "";
  return first.length <= 200 ? first : `${first.slice(0, 199).replace(/\s+\S*$/, "")}…`;
}

/**
 * schema.org data: one `Event` per session (search engines list dated events, and each session is
 * one date), online, with the organiser and the page to register from. Written as JSON in a
 * `<script>` data block, which the page's policy does not run; `<` is escaped so that no text of
 * the event can close the element.
 */
function jsonLd(event: PublicEvent, language: Language, pageUrl: string): string {
  const name = pickText(event.title, language);
  const graph = event.sessions.map((session) => ({
    "@type": "Event",
    name,
    description: summaryOf(pickText(event.description, language)),
    startDate: session.startsAt,
    endDate: sessionEnd(session.startsAt, session.durationMinutes).toISOString(),
    eventAttendanceMode: "https://schema.org/OnlineEventAttendanceMode",
    eventStatus: session.cancelledAt
      ? "https://schema.org/EventCancelled"
      : "https://schema.org/EventScheduled",
    inLanguage: session.language,
    location: { "@type": "VirtualLocation", url: pageUrl },
    organizer: { "@type": "Organization", name: pickText(event.organiser.name, language) },
    ...(event.branding?.bannerUrl && { image: [event.branding.bannerUrl] }),
    url: pageUrl,
    isAccessibleForFree: true,
  }));
  return JSON.stringify({ "@context": "https://schema.org", "@graph": graph }).replace(/</g, "\\u003c");
}
