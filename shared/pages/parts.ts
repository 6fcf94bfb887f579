import { type AgendaPerson, agendaSchedule } from "../domain/agenda.ts";
import { formatSessionTime } from "../domain/dates.ts";
import type { PublicEvent } from "../domain/event.ts";
import { type Language, type LocalizedText, languages, pickText } from "../domain/languages.ts";
import { eventLanguages as languagesOfTitle, registrationWindow } from "../domain/registration-form.ts";
import { type Markup, markup, renderedHtml } from "../html.ts";
import { pathTo } from "../paths.ts";
import { localTime } from "./local-time.ts";
import { pageTexts } from "./texts/index.ts";
import { summaryTexts } from "./texts/summary.ts";

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
 * The languages an event speaks, those of its title (the domain's rule, which a registration's
 * language is checked against; an event has a title in each of its sessions' languages). Its pages
 * offer these in their language switch (an event without an Arabic title offers no Arabic pages,
 * whose title and questions would show in another language), and only these (`pickPageLanguage`).
 */
export const eventLanguages = (event: { title: LocalizedText }): Language[] => languagesOfTitle(event.title);

/**
 * The session's start in its own time zone and in UTC, then (written by the browser) in the
 * registrant's, because an event's registrants are often in several time zones.
 */
export function sessionTime(session: PageSession, language: Language): Markup {
  const { local, utc } = formatSessionTime(session.startsAt, session.timezone, language);
  return markup`<span class="when">${local}</span> ${localTime(session.startsAt, session.timezone, language)}<span class="utc muted">${utc}</span>`;
}

/** Seats left, the waiting list when full, or the session's cancellation; nothing without a limit. */
export function availability(
  language: Language,
  seats: number | null,
  cancelled: boolean,
): Markup | undefined {
  const texts = pageTexts[language].session;
  if (cancelled) return markup`<span class="seats full">${summaryTexts[language].cancelled}</span>`;
  if (seats === null) return undefined;
  if (seats <= 0) return markup`<span class="seats full">${texts.waitingList}</span>`;
  return markup`<span class="seats">${texts.seatsLeft(seats)}</span>`;
}

/** "Language: French · Duration: 90 minutes", in the page language. */
export function sessionFacts(session: PageSession, language: Language): string {
  const texts = pageTexts[language].session;
  return `${texts.language(languageName(session.language, language))} · ${texts.duration(session.durationMinutes)}`;
}

function people(
  label: (count: number) => string,
  list: readonly AgendaPerson[] | undefined,
  language: Language,
) {
  if (!list?.length) return undefined;
  const texts = summaryTexts[language];
  const names = list.map((person) =>
    person.affiliation
      ? texts.person(pickText(person.name, language), pickText(person.affiliation, language))
      : pickText(person.name, language),
  );
  return markup`<p class="muted">${label(list.length)}${texts.colon}${names.join(", ")}</p>`;
}

/**
 * A session's agenda: each part with its start and end (from the minutes of the parts before it)
 * in the session's time zone, its title, moderators and speakers. Nothing without an agenda.
 */
export function agendaList(session: PageSession, language: Language): Markup | undefined {
  if (!session.agenda) return undefined;
  const texts = summaryTexts[language];
  const parts = agendaSchedule(session, language).map(({ part, start, end }) => {
    return markup`<li><p><span class="part-time">${texts.partTimes(start, end)}</span> <strong${langOf(part.title, language)}>${pickText(part.title, language)}</strong></p>
${people(texts.moderators, part.moderators, language)}${people(texts.speakers, part.speakers, language)}</li>`;
  });
  return markup`<ol class="agenda">${parts}</ol>`;
}

/**
 * A session as the summary shows it (form, event page): its times, language and duration, seats
 * or waiting list, and its agenda (folded on the form, where the session choice comes next).
 */
export function sessionSummary(
  session: PageSession,
  language: Language,
  seats: number | null,
  agenda: "open" | "folded",
): Markup {
  const parts = agendaList(session, language);
  const seatsOrState = availability(language, seats, session.cancelledAt !== undefined);
  const shownAgenda =
    parts &&
    (agenda === "open"
      ? markup`<h3>${summaryTexts[language].agenda}</h3>${parts}`
      : markup`<details><summary>${summaryTexts[language].agenda}</summary>${parts}</details>`);
  return markup`<li class="summary-session">
<p>${sessionTime(session, language)}</p>
<p>${sessionFacts(session, language)}</p>
${seatsOrState && markup`<p>${seatsOrState}</p>`}
${shownAgenda}
</li>`;
}

/**
 * An event's description as rendered from its Markdown when the event was saved
 * (`renderDescriptionHtml`: every text escaped, only web and mail links): its first paragraph, then
 * the rest folded in a `<details>`, so a long description does not push the form down. An event
 * saved before descriptions were rendered shows its text as plain paragraphs.
 */
export function eventDescription(
  event: Pick<PublicEvent, "description" | "descriptionHtml">,
  language: Language,
): Markup {
  const { description } = event;
  const shownIn =
    description[language] !== undefined ? language : languages.find((other) => description[other]);
  const html = shownIn && event.descriptionHtml?.[shownIn];
  const body = html
    ? markup`${renderedHtml(html.lead)}${html.rest && markup`<details><summary>${summaryTexts[language].readMore}</summary>${renderedHtml(html.rest)}</details>`}`
    : pickText(description, language)
        .split(/\n\s*\n/)
        .map((paragraph) => markup`<p>${paragraph}</p>`);
  return markup`<div class="description"${langOf(description, language)}>${body}</div>`;
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

/** A window date as the sessions' times are written: in the first session's time zone and in UTC. */
export function windowDate(event: PublicEvent, at: string, language: Language): string {
  const { local, utc } = formatSessionTime(at, event.sessions[0]?.timezone ?? "UTC", language);
  return `${local} – ${utc}`;
}

/** What a page says instead of the form outside the event's registration window (the form, the event page). */
export function closedMessage(event: PublicEvent, language: Language, now: Date) {
  const { form } = pageTexts[language];
  const state = registrationWindow(event, now);
  if (state === "not-yet-open" && event.registrationOpensAt) {
    return form.notYetOpen(windowDate(event, event.registrationOpensAt, language));
  }
  if (state === "closed" && event.registrationClosesAt) {
    return form.closedSince(windowDate(event, event.registrationClosesAt, language));
  }
  return undefined;
}
