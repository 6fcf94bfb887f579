import { sessionEnd } from "../domain/dates.ts";
import type { PublicEvent, WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import type { Registration } from "../domain/registration.ts";
import {
  answersOf,
  answerText,
  type Question,
  sessionsToSwitchTo,
  standardFields,
} from "../domain/registration-form.ts";
import { type Markup, markup } from "../html.ts";
import { formatDuration } from "../mail/format.ts";
import { pathTo } from "../paths.ts";
import { calendarEntry, googleCalendarUrl, outlookCalendarUrl } from "../registrations/calendar-links.ts";
import { correctionVersionField } from "../registrations/correction-version.ts";
import { isCancelledSession } from "../registrations/open-session.ts";
import { renderLayout } from "./layout.ts";
import { type MyDataLinks, myDataSection } from "./my-data-pages.ts";
import { details, findSession, langOf, languageName, registrationFormPath, sessionTime } from "./parts.ts";
import { correctionControls } from "./registration-form.ts";
import { cardStyles } from "./styles/card.ts";
import { type PageMessage, type PageTexts, pageTexts } from "./texts/index.ts";
import { type ManageTexts, manageTexts } from "./texts/manage.ts";

/**
 * The event as these pages take it. Only the registrant's own pages (manage, thank-you) show a
 * session's `joinUrl`, to a registrant with a seat, and only from a whole `WebinarEvent`.
 */
export type ShownEvent = PublicEvent | WebinarEvent;

export interface RegistrationPageOptions {
  event: ShownEvent;
  registration: Registration;
  language: Language;
}

/** `already-registered`: the email was registered before and its confirmation was sent again. */
export type RegistrationOutcome = "registered" | "already-registered";

/** The registrant's signed link (registration, token, page language), which every action carries. */
export type ManageLink = MyDataLinks;

const linkQuery = (link: ManageLink) => ({ token: link.token, lang: link.language });
export const managePath = (link: ManageLink, query: Record<string, string | undefined> = {}) =>
  pathTo("manageRegistration", { registrationId: link.registrationId }, { ...linkQuery(link), ...query });
const calendarPath = (link: ManageLink) =>
  pathTo("registrationCalendar", { registrationId: link.registrationId }, linkQuery(link));

/**
 * The answer to a registration: what happened (confirmed, waiting list, or already registered)
 * and what to do next. A new registration gets its card (the session, add to calendar) and the
 * links to its manage page and invitation; an address registered before gets neither, as anyone
 * can type someone else's address: its confirmation, with the links, went to its inbox again.
 */
export function renderThankYou(
  options: RegistrationPageOptions & {
    outcome?: RegistrationOutcome;
    /** With the whole event: the card, its join link and calendar links, the manage link. */
    own?: { event: WebinarEvent; link: ManageLink; now: Date };
  },
): string {
  const { event, registration, language, outcome = "registered", own } = options;
  const texts = pageTexts[language];
  const manage = manageTexts[language];
  const message = thankYouMessage(texts, registration, outcome);
  if (outcome === "already-registered" || !own) {
    return registrationPage(options, message.title, [
      markup`<p>${message.message}</p>`,
      ...(outcome === "registered" ? [registrationDetails(texts, event, registration, language)] : []),
      markup`<p class="muted">${texts.thankYou.spamHint}</p>`,
    ]);
  }
  const steps =
    registration.status === "confirmed" ? manage.thankYou.confirmedSteps : manage.thankYou.waitlistedSteps;
  return registrationPage(options, message.title, [
    markup`<p>${message.message}</p>`,
    sessionCard({ ...options, ...own }),
    markup`<section aria-labelledby="details-title">
<h2 id="details-title">${manage.yourDetails}</h2>
${registrationDetails(texts, event, registration, language, { inCard: true })}
</section>`,
    markup`<section aria-labelledby="next-title">
<h2 id="next-title">${manage.thankYou.nextSteps}</h2>
<ol class="steps">${steps.map((step) => markup`<li>${step}</li>`)}</ol>
<ul class="actions">
<li><a class="button" href="${managePath(own.link)}">${manage.thankYou.manageLink}</a></li>
</ul>
<p class="muted">${texts.thankYou.spamHint}</p>
</section>`,
  ]);
}

function thankYouMessage(
  texts: PageTexts,
  registration: Registration,
  outcome: RegistrationOutcome,
): PageMessage {
  if (outcome === "already-registered") return texts.thankYou.alreadyRegistered;
  return registration.status === "waitlisted" ? texts.thankYou.waitlisted : texts.thankYou.confirmed;
}

/** What the manage page says once after an action it was redirected from. */
export const doneNotices = ["switched", "details"] as const;
export type DoneNotice = (typeof doneNotices)[number];

export interface ManagePageOptions extends RegistrationPageOptions {
  event: WebinarEvent;
  link: ManageLink;
  /** Seats left per session (`seatsLeft`), for the sessions one can switch to. */
  seatsLeft: Record<string, number | null>;
  now: Date;
  done?: DoneNotice | undefined;
  /** A correction sent back: the posted values, and the problems by field path (`firstName`, `answers.topic`). */
  correction?: { values: Record<string, string>; errors: Record<string, string> };
}

/**
 * The registrant's home, behind the link in their emails: the session's card (status, times,
 * join link while they hold a seat, add to calendar), then what they can do: change session,
 * correct their details, cancel, and their data (download it, have it deleted). Every action is a
 * POST to a URL that carries the token, so mail scanners that follow links never change anything.
 */
export function renderManagePage(options: ManagePageOptions): string {
  const { event, registration, language, link } = options;
  const texts = pageTexts[language];
  const manage = manageTexts[language];
  const done = options.done && doneNotice(manage, registration, options.done);
  const active = registration.status !== "cancelled";
  // A session the organisers cancelled was cancelled for its registrants too (mail, calendar
  // CANCEL): nothing to cancel again; the card leads to the switch instead.
  const sessionCancelled = isCancelledSession(event, registration.sessionId);
  const cancel = !active
    ? registerAgain(texts, event, language)
    : sessionCancelled
      ? markup``
      : markup`<section aria-labelledby="cancel-title">
<h2 id="cancel-title">${texts.manage.cancelTitle}</h2>
<p class="warning">${texts.manage.cancelWarning}</p>
<form method="post" action="${pathTo("cancelRegistration", { registrationId: link.registrationId }, linkQuery(link))}"><button type="submit" class="danger">${texts.manage.cancelButton}</button></form>
</section>`;
  const notice = markup`<p><a href="${pathTo("privacyNotice", { eventId: event.id }, { lang: language })}">${texts.privacy.fullNotice}</a></p>`;
  return registrationPage(options, manage.pageTitle, [
    done ? markup`<p class="done" role="status">${done}</p>` : markup``,
    sessionCard(options),
    active ? switchSection(options) : markup``,
    markup`<section aria-labelledby="details-title">
<h2 id="details-title">${manage.yourDetails}</h2>
${registrationDetails(texts, event, registration, language, { inCard: true })}
${active && correctionForm(options)}
</section>`,
    cancel,
    myDataSection(link),
    notice,
  ]);
}

function doneNotice(manage: ManageTexts, registration: Registration, done: DoneNotice): string {
  if (done === "details") return manage.done.detailsSaved;
  return registration.status === "waitlisted"
    ? manage.done.switchedWaitlisted
    : manage.done.switchedConfirmed;
}

type CardState = keyof ManageTexts["status"];

function cardState(registration: Registration, session: ShownSession | undefined, now: Date): CardState {
  if (registration.status === "cancelled") return "cancelled";
  if (session?.cancelledAt) return "sessionCancelled";
  if (session && sessionEnd(session.startsAt, session.durationMinutes) <= now) return "ended";
  return registration.status;
}

type ShownSession = ShownEvent["sessions"][number];

/**
 * The session as the registrant holds it: the status and what it means, when (the session's zone,
 * the registrant's own written by the browser, UTC), how long and in which language, and, with a
 * seat in a session still to come, the join link and the ways to put it in a calendar.
 */
function sessionCard(options: {
  event: WebinarEvent;
  registration: Registration;
  language: Language;
  link: ManageLink;
  now: Date;
}): Markup {
  const { event, registration, language, link, now } = options;
  const manage = manageTexts[language];
  const session = event.sessions.find((candidate) => candidate.id === registration.sessionId);
  const state = cardState(registration, session, now);
  const status = manage.status[state];
  // The join link and calendar entry: a seat, in a session that has not ended nor been cancelled.
  const seated = state === "confirmed" ? session : undefined;
  const joinUrl = seated?.joinUrl;
  const entry = seated && calendarEntry(event, seated, registration, language, manage.join.label);
  return markup`<section class="card status-${state}" aria-labelledby="session-title">
<p class="status"><strong>${status.title}</strong> ${status.message}</p>
${state === "sessionCancelled" && switchableSessions(event, registration, now).length > 0 && chooseAnother(manage)}
<h2 id="session-title"${langOf(event.title, language)}>${pickText(event.title, language)}</h2>
${
  session &&
  details([
    [manage.summary.when, sessionTime(session, language)],
    [manage.summary.duration, formatDuration(session.durationMinutes, language)],
    [manage.summary.language, languageName(session.language, language)],
  ])
}
${
  joinUrl &&
  markup`<p><a class="button" href="${joinUrl}">${manage.join.button}</a></p>
<p class="muted">${manage.join.note}</p>`
}
${
  entry &&
  markup`<h3>${manage.calendar.heading}</h3>
<ul class="actions">
<li><a href="${calendarPath(link)}" download>${manage.calendar.ics}</a></li>
<li><a href="${googleCalendarUrl(entry)}" target="_blank" rel="noopener noreferrer">${manage.calendar.google} <span class="visually-hidden">${manage.calendar.newTab}</span></a></li>
<li><a href="${outlookCalendarUrl(entry)}" target="_blank" rel="noopener noreferrer">${manage.calendar.outlook} <span class="visually-hidden">${manage.calendar.newTab}</span></a></li>
</ul>`
}
</section>`;
}

/** Sessions a registrant may move to: the event's others that are not cancelled and not started. */
export const switchableSessions = (event: ShownEvent, registration: Registration, now: Date) =>
  sessionsToSwitchTo(event, registration.sessionId, now);

/** One radio per open session, with its time, language and seats (or the waiting list it would be). */
function switchSection({ event, registration, language, link, seatsLeft, now }: ManagePageOptions): Markup {
  const sessions = switchableSessions(event, registration, now);
  if (sessions.length === 0) return markup``;
  const manage = manageTexts[language];
  const texts = pageTexts[language];
  const choices = sessions.map((session) => {
    const seats = seatsLeft[session.id] ?? null;
    const id = `switch-${session.id}`;
    return markup`<div class="choice">
<input type="radio" id="${id}" name="sessionId" value="${session.id}" required>
<label for="${id}">${sessionTime(session, language)}<span>${texts.session.language(languageName(session.language, language))}</span>${
      seats !== null &&
      markup`<span class="seats${seats <= 0 ? " full" : ""}">${seats <= 0 ? manage.switchSession.waitlist : texts.session.seatsLeft(seats)}</span>`
    }</label>
</div>`;
  });
  return markup`<section aria-labelledby="switch-title">
<h2 id="switch-title">${manage.switchSession.heading}</h2>
<p>${manage.switchSession.intro}</p>
<form method="post" action="${pathTo("switchSession", { registrationId: link.registrationId }, linkQuery(link))}">
<fieldset>
<legend>${manage.switchSession.legend}</legend>
${choices}
</fieldset>
<button type="submit">${manage.switchSession.button}</button>
</form>
</section>`;
}

/**
 * The correction form, folded under its summary until a correction comes back with problems: the
 * event's own fields and questions as its registration form shows them (`correctionControls`),
 * filled with what is stored, and how to change the email, which is not among them.
 */
function correctionForm({ event, registration, language, link, correction }: ManagePageOptions): Markup {
  const manage = manageTexts[language];
  const values = correction?.values ?? storedValues(registration, event.form?.questions ?? []);
  const errors = correction?.errors ?? {};
  const invalid = Object.keys(errors).length > 0;
  return markup`<details class="correction"${invalid && markup` open`}>
<summary>${manage.details.heading}</summary>
<p>${manage.details.intro}</p>
<p class="hint">${manage.details.emailNote}</p>
${invalid && markup`<p class="error-message" role="alert">${manage.details.errorsTitle}</p>`}
<form method="post" action="${pathTo("correctDetails", { registrationId: link.registrationId }, linkQuery(link))}" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">
<input type="hidden" name="${correctionVersionField}" value="${values[correctionVersionField] ?? registration.updatedAt}">
${correctionControls({ event, language, values, errors })}
<button type="submit">${manage.details.button}</button>
</form>
</details>`;
}

/** A registration's details as the form's fields name them, to fill the correction form. */
function storedValues(registration: Registration, questions: readonly Question[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of ["firstName", "lastName", ...standardFields] as const) {
    const value = registration[field];
    if (value !== undefined) values[field] = value;
  }
  const answers = answersOf(registration);
  for (const question of questions) {
    const answer = answers[question.id];
    const name = `answers.${question.id}`;
    if (typeof answer === "boolean") values[name] = answer ? "yes" : "no";
    else if (Array.isArray(answer)) for (const choice of answer) values[`${name}.${choice}`] = "on";
    else if (answer !== undefined) values[name] = answer;
  }
  return values;
}

/**
 * For a registrant whose session the organisers cancelled: the page's own switch (the form would
 * answer "already registered", their registration being still theirs).
 */
const chooseAnother = (manage: ManageTexts) =>
  markup`<p><a class="standalone" href="#switch-title">${manage.registerForAnother}</a></p>`;

/** Confirms a cancellation; no button, only a link to the form for who changes their mind. */
export function renderCancelled(options: RegistrationPageOptions): string {
  const { event, registration, language } = options;
  const texts = pageTexts[language];
  return registrationPage(options, texts.cancelled.title, [
    markup`<p>${texts.cancelled.message}</p>`,
    registrationDetails(texts, event, registration, language),
    registerAgain(texts, event, language),
  ]);
}

/** The form says itself when registration has closed, so the link needs no check. */
const registerAgain = (texts: PageTexts, event: ShownEvent, language: Language) =>
  markup`<p><a class="standalone" href="${registrationFormPath(event.id, language)}">${texts.registerAgain}</a></p>`;

export interface MessagePageOptions {
  language: Language;
  title: string;
  message: string;
  /** The HTTP status the page is sent with; from 500 up, the page shows it for registrants to quote. */
  status: number;
  /** A link on, e.g. back to the registration an action failed on. */
  back?: { href: string; label: string };
}

/**
 * A page that only says something: registration closed, invalid link, not found, server error.
 * Take `title` and `message` from `pageTexts[language].messages`.
 */
export function renderMessagePage({ language, title, message, status, back }: MessagePageOptions): string {
  const texts = pageTexts[language];
  return renderLayout({
    language,
    title,
    content: markup`<h1>${title}</h1>
<p>${message}</p>
${status >= 500 && markup`<p class="muted">${texts.errorCode(status)}</p>`}
${back && markup`<p><a class="standalone" href="${back.href}">${back.label}</a></p>`}`,
  });
}

function registrationPage(
  { event, language }: RegistrationPageOptions,
  heading: string,
  content: Markup[],
): string {
  const eventTitle = pickText(event.title, language);
  return renderLayout({
    language,
    title: `${heading} – ${eventTitle}`,
    branding: event.branding,
    head: cardStyles,
    content: markup`<p class="kicker"${langOf(event.title, language)}>${eventTitle}</p>
<h1>${heading}</h1>
${content}`,
  });
}

/**
 * The registration as recorded; `inCard` leaves out the session and status, which the session's
 * card above it shows already (manage and thank-you pages).
 */
function registrationDetails(
  texts: PageTexts,
  event: ShownEvent,
  registration: Registration,
  language: Language,
  { inCard = false } = {},
): Markup {
  const session = findSession(event, registration.sessionId);
  const labels = texts.registration;
  const sessionRows: [string, Markup | string | undefined][] = inCard
    ? []
    : [
        [
          labels.session,
          session &&
            markup`${sessionTime(session, language)}<span>${texts.session.language(languageName(session.language, language))}</span>`,
        ],
      ];
  return details([
    ...sessionRows,
    [labels.name, `${registration.firstName} ${registration.lastName}`],
    [labels.organisation, registration.organisation],
    [labels.email, registration.email],
    ...(inCard ? [] : [[labels.status, labels.statuses[registration.status]] as [string, string]]),
    ...answerRows(texts, event, registration, language),
  ]);
}

/** The registrant's answers to the event's questions, each under its label in the page language. */
function answerRows(texts: PageTexts, event: ShownEvent, registration: Registration, language: Language) {
  const answers = answersOf(registration);
  return (event.form?.questions ?? []).map((question): [string, string | undefined] => [
    pickText(question.label, language),
    answerText(question, answers[question.id], language, texts.form),
  ]);
}
