import { noticeFactsOf, type WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import { privacyNotice } from "../domain/privacy-notice.ts";
import { markup } from "../html.ts";
import { pathTo } from "../paths.ts";
import { renderLayout } from "./layout.ts";
import { eventLanguages, langOf } from "./parts.ts";
import { pageTexts } from "./texts/index.ts";

/**
 * The privacy notice of an event (`GET /events/{eventId}/privacy`), in one of the event's languages
 * with links to the others: its controllers and contact, purposes, data, recipients, retention and
 * rights, and the version registrants accept.
 */
export function renderPrivacyPage(event: WebinarEvent, asked: Language): string {
  const spoken = eventLanguages(event);
  const language = spoken.includes(asked) ? asked : (spoken[0] ?? asked);
  const notice = privacyNotice(language, noticeFactsOf(event, language));
  const others = spoken
    .filter((other) => other !== language)
    .map(
      (other) =>
        markup`<a href="${pathTo("privacyNotice", { eventId: event.id }, { lang: other })}" hreflang="${other}" lang="${other}">${pageTexts[other].languageName}</a>`,
    );
  const eventTitle = pickText(event.title, language);
  return renderLayout({
    language,
    title: `${notice.title} – ${eventTitle}`,
    branding: event.branding,
    header: others.length
      ? markup`<nav aria-label="${pageTexts[language].languageSwitchLabel}">${others}</nav>`
      : undefined,
    content: markup`<p class="kicker"${langOf(event.title, language)}>${eventTitle}</p>
<h1>${notice.title}</h1>
${notice.sections.map(
  (section) => markup`<section>
<h2>${section.heading}</h2>
${section.paragraphs.map((paragraph) => markup`<p>${paragraph}</p>`)}
</section>`,
)}
<p class="muted">${pageTexts[language].privacy.version(notice.version)}</p>`,
  });
}
