import { formatSessionTime } from "../domain/dates.ts";
import type { PublicEvent } from "../domain/event.ts";
import { type Language, type LocalizedText, languages } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import { pathTo } from "../paths.ts";

export type PageSession = PublicEvent["sessions"][number];

/**
 * A `lang` attribute for an event text shown in another language than the page's (`pickText`
 * falls back), so a screen reader reads an English title on a French page in English.
 */
export function langOf(text: LocalizedText, language: Language): Markup | undefined {
  if (text[language] !== undefined) return undefined;
  const shownIn = languages.find((other) => text[other] !== undefined);
  return shownIn && markup` lang="${shownIn}"`;
}

/**
 * The languages an event speaks: those of its sessions, then those of its title. Its pages offer
 * these in their language switch (an event without an Arabic title offers no Arabic pages, whose
 * title and questions would show in another language); any language stays reachable by `?lang=`.
 */
export const eventLanguages = (event: {
  title: LocalizedText;
  sessions: readonly { language: Language }[];
}): Language[] =>
  languages.filter(
    (language) =>
      event.sessions.some((session) => session.language === language) || event.title[language] !== undefined,
  );

/** Both times, because an event's registrants are often in several time zones. */
export function sessionTime(session: PageSession, language: Language): Markup {
  const { local, utc } = formatSessionTime(session.startsAt, session.timezone, language);
  return markup`<span class="when">${local}</span> <span class="utc muted">${utc}</span>`;
}

/** The name of a session's language in the page language ("anglais" on a French page). */
export const languageName = (of: Language, language: Language) =>
  new Intl.DisplayNames(language, { type: "language" }).of(of) ?? of;

/**
 * The registration form of an event in a language. Root-relative like the form's action, and
 * never relative to the current URL: the form also comes back with errors from the POST URL,
 * which has no page for a GET.
 */
export const registrationFormPath = (eventId: string, language: Language) =>
  pathTo("registrationForm", { eventId }, { lang: language });

export const findSession = (event: PublicEvent, sessionId: string) =>
  event.sessions.find((session) => session.id === sessionId);

/** A definition list of label/value pairs; rows without a value are left out. */
export function details(rows: [label: string, value: Markup | string | undefined][]): Markup {
  const shown = rows.filter(([, value]) => value !== undefined && value !== "");
  return markup`<dl>${shown.map(([label, value]) => markup`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}
