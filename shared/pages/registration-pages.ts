import type { PublicEvent, WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import type { Registration } from "../domain/registration.ts";
import { answersOf, answerText } from "../domain/registration-form.ts";
import { type Markup, markup } from "../html.ts";
import { pathTo } from "../paths.ts";
import { renderLayout } from "./layout.ts";
import { type MyDataLinks, myDataSection } from "./my-data-pages.ts";
import { details, findSession, langOf, languageName, registrationFormPath, sessionTime } from "./parts.ts";
import { type PageMessage, type PageTexts, pageTexts } from "./texts/index.ts";

/**
 * The event as these pages take it. A whole `WebinarEvent` is accepted for the handlers'
 * convenience, but no page reads a session's `joinUrl`: it reaches registrants by email only.
 */
export type ShownEvent = PublicEvent | WebinarEvent;

export interface RegistrationPageOptions {
  event: ShownEvent;
  registration: Registration;
  language: Language;
}

/** `already-registered`: the email was registered before and its confirmation was sent again. */
export type RegistrationOutcome = "registered" | "already-registered";

/**
 * The answer to a registration: what happened (confirmed, waiting list, or already registered)
 * and what to do next, which is to look in the inbox, where the confirmation and links are.
 */
export function renderThankYou(options: RegistrationPageOptions & { outcome?: RegistrationOutcome }): string {
  const { event, registration, language, outcome = "registered" } = options;
  const texts = pageTexts[language];
  const message = thankYouMessage(texts, registration, outcome);
  return registrationPage(options, message.title, [
    markup`<p>${message.message}</p>`,
    // Anyone can type someone else's address: an existing registration's details stay private.
    ...(outcome === "registered" ? [registrationDetails(texts, event, registration, language)] : []),
    markup`<p class="muted">${texts.thankYou.spamHint}</p>`,
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

/**
 * The page behind the link in a registrant's emails: their registration as recorded, unless it
 * is already cancelled a button to cancel it, and their data (download it, have it deleted). Cancelling is a POST to `cancelAction` (which
 * carries the token), so mail scanners that follow links never cancel anyone.
 */
export function renderManagePage(
  options: RegistrationPageOptions & { cancelAction: string; myData: MyDataLinks },
): string {
  const { event, registration, language, cancelAction } = options;
  const texts = pageTexts[language];
  const cancel =
    registration.status === "cancelled"
      ? markup`<p>${texts.manage.alreadyCancelled}</p>${registerAgain(texts, event, language)}`
      : markup`<section aria-labelledby="cancel-title">
<h2 id="cancel-title">${texts.manage.cancelTitle}</h2>
<p class="warning">${texts.manage.cancelWarning}</p>
<form method="post" action="${cancelAction}"><button type="submit" class="danger">${texts.manage.cancelButton}</button></form>
</section>`;
  const notice = markup`<p><a href="${pathTo("privacyNotice", { eventId: event.id }, { lang: language })}">${texts.privacy.fullNotice}</a></p>`;
  return registrationPage(options, texts.manage.pageTitle, [
    registrationDetails(texts, event, registration, language),
    cancel,
    myDataSection(options.myData),
    notice,
  ]);
}

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
}

/**
 * A page that only says something: registration closed, invalid link, not found, server error.
 * Take `title` and `message` from `pageTexts[language].messages`.
 */
export function renderMessagePage({ language, title, message, status }: MessagePageOptions): string {
  const texts = pageTexts[language];
  return renderLayout({
    language,
    title,
    content: markup`<h1>${title}</h1>
<p>${message}</p>
${status >= 500 && markup`<p class="muted">${texts.errorCode(status)}</p>`}`,
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
    content: markup`<p class="kicker"${langOf(event.title, language)}>${eventTitle}</p>
<h1>${heading}</h1>
${content}`,
  });
}

function registrationDetails(
  texts: PageTexts,
  event: ShownEvent,
  registration: Registration,
  language: Language,
): Markup {
  const session = findSession(event, registration.sessionId);
  const labels = texts.registration;
  return details([
    [
      labels.session,
      session &&
        markup`${sessionTime(session, language)}<span>${texts.session.language(languageName(session.language, language))}</span>`,
    ],
    [labels.name, `${registration.firstName} ${registration.lastName}`],
    [labels.organisation, registration.organisation],
    [labels.email, registration.email],
    [labels.status, labels.statuses[registration.status]],
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
