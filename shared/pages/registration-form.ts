import { honeypotField, stampField } from "../abuse/form-fields.ts";
import { countryCodes, countryName } from "../domain/countries.ts";
import type { PublicEvent } from "../domain/event.ts";
import { type Language, type LocalizedText, languages, pickText } from "../domain/languages.ts";
import { organisationTypes, privacyNoticeVersion } from "../domain/registration.ts";
import {
  type FormSettings,
  fieldMode,
  isSessionOpen,
  type Question,
  type StandardField,
  standardFields,
  textFields,
} from "../domain/registration-form.ts";
import { type Interpolation, type Markup, markup } from "../html.ts";
import { pathTo } from "../paths.ts";
import { renderLayout } from "./layout.ts";
import {
  agendaList,
  availability,
  closedMessage,
  eventDescription,
  eventLanguages,
  langOf,
  type PageSession,
  registrationFormPath,
  sessionFacts,
  sessionSummary,
  sessionTime,
  windowDate,
} from "./parts.ts";
import { type FormField, type PageTexts, pageTexts } from "./texts/index.ts";
import { summaryTexts } from "./texts/summary.ts";

export interface RegistrationFormOptions {
  event: PublicEvent;
  /** Seats left per session id; `null` (or no entry) when the session has no capacity limit. */
  seatsLeft: Record<string, number | null>;
  language: Language;
  /** The submitted form, shown again when it comes back with errors. */
  values?: Record<string, string>;
  /**
   * Messages by field path (`email`, `sessionId`…). A form field shows its own message in the page
   * language (the schema's are English); a path that is no field shows its message in the summary.
   */
  errors?: Record<string, string>;
  /** Where the form posts (`application/x-www-form-urlencoded`). */
  action: string;
  now: Date;
  /** The signed time the form was served (see `shared/abuse/form-stamp.ts`); none in previews. */
  stamp?: string;
}

const checkedValues = new Set(["on", "true", "yes", "1"]);

interface FormContext {
  texts: PageTexts;
  language: Language;
  values: Record<string, string>;
  errors: Record<string, string>;
  sessions: PageSession[];
  seatsLeft: Record<string, number | null>;
  organisers: string;
  eventId: string;
  form: FormSettings | undefined;
  /** The event's languages (`eventLanguages`), offered for the registrant's mails. */
  languages: Language[];
}

/**
 * The registration page of an event: works without JavaScript, on a phone, with the keyboard or a
 * screen reader alone. Sessions that have started or are cancelled are not offered; when none is left the page
 * says registration is closed. Errors show next to their fields and in a summary that links to
 * them, and every submitted value is kept, so correcting one field never means retyping the rest.
 */
export function renderRegistrationForm(options: RegistrationFormOptions): string {
  const { event, language, errors = {}, now } = options;
  const texts = pageTexts[language];
  const sessions = event.sessions.filter((session) => isSessionOpen(session, now));
  const context: FormContext = {
    texts,
    language,
    values: options.values ?? {},
    errors,
    sessions,
    seatsLeft: options.seatsLeft,
    organisers: pickText(event.organiser.name, language),
    eventId: event.id,
    form: event.form,
    languages: eventLanguages(event),
  };
  const hasErrors = Object.keys(errors).length > 0;
  const title = `${hasErrors ? texts.errorTitlePrefix : ""}${texts.form.pageTitle} – ${pickText(event.title, language)}`;
  const closed =
    closedMessage(event, language, now) ?? (sessions.length === 0 && texts.messages.registrationClosed);
  const body = closed
    ? markup`<h2>${closed.title}</h2><p>${closed.message}</p>${sessionList(event, language)}`
    : markup`${closingNote(event, texts, language)}${form(context, options.action, options.stamp)}`;
  return renderLayout({
    language,
    title,
    indexable: true,
    wide: true,
    branding: event.branding,
    header: languageSwitch(event, language),
    content: markup`${hasErrors && errorSummary(context)}${eventHeading(event, texts, language)}
<div class="columns">
<section class="about" aria-label="${texts.form.kicker}">${eventDescription(event, language)}${intro(event, language)}</section>
<div>${body}</div>
</div>`,
  });
}

/**
 * The sessions as the summary lists them, when registration is closed and no choice is offered:
 * without their seats left ("100 seats left" under "Registration is closed" reads as an offer).
 */
function sessionList(event: PublicEvent, language: Language): Markup {
  const sessions = event.sessions.map((session) => sessionSummary(session, language, null, "folded"));
  return markup`<ul class="sessions">${sessions}</ul>`;
}

/** Links to the form itself in the other languages; starting over is fine, as values are kept only on errors. */
function languageSwitch(event: PublicEvent, language: Language): Markup {
  const others = eventLanguages(event).filter((other) => other !== language);
  const links = others.map(
    (other) =>
      markup`<a href="${registrationFormPath(event.id, other)}" hreflang="${other}" lang="${other}">${pageTexts[other].languageName}</a>`,
  );
  return markup`<nav aria-label="${pageTexts[language].languageSwitchLabel}">${links}</nav>`;
}

/** The top of the summary: what the event is and who organises it, in the organisers' words. */
function eventHeading(event: PublicEvent, texts: PageTexts, language: Language): Markup {
  return markup`<p class="kicker">${texts.form.kicker}</p>
<h1${langOf(event.title, language)}>${pickText(event.title, language)}</h1>
<p class="muted"${langOf(event.organiser.name, language)}>${texts.form.organisedBy(pickText(event.organiser.name, language))}</p>`;
}

function intro(event: PublicEvent, language: Language): Markup | undefined {
  const text = event.form?.intro;
  return text && markup`<p class="intro"${langOf(text, language)}>${pickText(text, language)}</p>`;
}

function closingNote(event: PublicEvent, texts: PageTexts, language: Language): Markup | undefined {
  const closesAt = event.registrationClosesAt;
  return closesAt
    ? markup`<p class="muted">${texts.form.closesAt(windowDate(event, closesAt, language))}</p>`
    : undefined;
}

function errorSummary(context: FormContext): Markup {
  const { texts, errors } = context;
  const entries = [...formEntries(context), ...consentEntries(context)];
  const fieldItems = entries
    .filter((entry) => errors[entry.path] !== undefined)
    .map((entry) => markup`<li><a href="#${fieldId(entry.path)}">${entry.error()}</a></li>`);
  const otherItems = Object.entries(errors)
    .filter(([path]) => !entries.some((entry) => entry.path === path))
    // The traps' messages are English (they come from shared/abuse): a person who sent the form
    // too soon reads what to do in the page language.
    .map(([path, message]) =>
      path === stampField || path === honeypotField ? texts.form.sendAgain : message,
    )
    .map((message) => markup`<li>${message}</li>`);
  return markup`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${texts.form.errorSummaryTitle}</h2>
<ul>${fieldItems}${otherItems}</ul>
</div>`;
}

/** The privacy notice and the two consents: last in the form, never in a correction. */
type ConsentField = "updates" | "consent";

/**
 * The form's controls in page order, which the error summary follows too: with `consentControls`,
 * a record over the schema's keys, so a field added to the schema but not to the form fails to
 * compile. The consents are a table of their own so that a bundle showing only the correction
 * form (the manage page's) leaves out the privacy notice, every language's text of it.
 */
const controls: Record<Exclude<FormField, ConsentField>, (context: FormContext) => Markup> = {
  sessionId: (context) => sessionPicker(context),
  email: (context) =>
    textInput(context, "email", {
      type: "email",
      autocomplete: "email",
      inputmode: "email",
      maxlength: 254,
      required: true,
      spellcheck: "false",
    }),
  firstName: (context) =>
    textInput(context, "firstName", { autocomplete: "given-name", maxlength: 100, required: true }),
  lastName: (context) =>
    textInput(context, "lastName", { autocomplete: "family-name", maxlength: 100, required: true }),
  organisation: (context) =>
    textInput(context, "organisation", {
      autocomplete: "organization",
      maxlength: 200,
      required: isRequired(context, "organisation"),
    }),
  organisationType: (context) =>
    select(context, "organisationType", organisationTypeOptions(context.texts), {
      required: isRequired(context, "organisationType"),
    }),
  jobTitle: (context) =>
    textInput(context, "jobTitle", {
      autocomplete: "organization-title",
      maxlength: 200,
      required: isRequired(context, "jobTitle"),
    }),
  department: (context) =>
    textInput(context, "department", { maxlength: 200, required: isRequired(context, "department") }),
  city: (context) =>
    textInput(context, "city", {
      autocomplete: "address-level2",
      maxlength: 100,
      required: isRequired(context, "city"),
    }),
  country: (context) =>
    select(context, "country", countryGroups(context), {
      required: isRequired(context, "country"),
      autocomplete: "country",
    }),
  language: (context) =>
    select(context, "language", languageOptions(context), { required: true, fallback: context.language }),
};
const consentControls: Record<ConsentField, (context: FormContext) => Markup> = {
  updates: (context) => markup`${privacyNotice(context)}${checkbox(context, "updates", false)}`,
  consent: (context) => checkbox(context, "consent", true),
};
const fieldOrder = Object.keys(controls) as Exclude<FormField, ConsentField>[];

const isStandardField = (field: FormField): field is StandardField =>
  (standardFields as readonly string[]).includes(field);
const isRequired = ({ form }: FormContext, field: StandardField) => fieldMode(form, field) === "required";

/** A control of the form, by the path its errors come under (`email`, `answers.topic`). */
interface FormEntry {
  path: string;
  render: () => Markup;
  /** Its error in the page language. */
  error: () => string;
}

/**
 * The form's controls in page order, which the error summary follows too: the standard fields the
 * event asks, then its own questions; the form adds `consentEntries`.
 */
function formEntries(context: FormContext): FormEntry[] {
  const standard = (field: Exclude<FormField, ConsentField>): FormEntry => ({
    path: field,
    render: () => controls[field](context),
    error: () => errorText(context, field),
  });
  const asked = fieldOrder.filter(
    (field) => !isStandardField(field) || fieldMode(context.form, field) !== "off",
  );
  const questions = (context.form?.questions ?? []).map((question) => questionEntry(context, question));
  return [...asked.map(standard), ...questions];
}

/** The privacy notice with the updates box, then the consent: the end of the registration form. */
const consentEntries = (context: FormContext): FormEntry[] =>
  (["updates", "consent"] as const).map((field) => ({
    path: field,
    render: () => consentControls[field](context),
    error: () => errorText(context, field),
  }));

function form(context: FormContext, action: string, stamp: string | undefined): Markup {
  return markup`<form method="post" action="${action}" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">
<p class="muted">${context.texts.form.requiredNote}</p>
${traps(stamp)}
${[...formEntries(context), ...consentEntries(context)].map((entry) => entry.render())}
<button type="submit">${context.texts.form.submit}</button>
</form>`;
}

/**
 * The form's traps for scripts: the signed time it was served, and a honeypot field that people
 * never see nor reach with the keyboard (hidden from screen readers too), which scripts fill in.
 */
function traps(stamp: string | undefined): Markup {
  return markup`${stamp && markup`<input type="hidden" name="${stampField}" value="${stamp}">`}
<div style="position:absolute;inset-inline-start:-10000px;width:1px;height:1px;overflow:hidden" aria-hidden="true">
<label for="field-${honeypotField}">Website</label>
<input id="field-${honeypotField}" name="${honeypotField}" type="text" value="" tabindex="-1" autocomplete="off">
</div>`;
}

const fieldId = (path: string) => `field-${path}`;

/** What to do about a field: what to enter when it was left empty, else what is wrong with it. */
function errorText({ texts, values }: FormContext, field: FormField): string {
  const { error, missing } = texts.fields[field];
  return missing !== undefined && (values[field] ?? "").trim() === "" ? missing : error;
}

interface ControlSpec {
  path: string;
  label: Markup | string;
  hint: Markup | string | undefined;
  optional: boolean;
  error: () => string;
}

/** Label, hint and error of a control, and the attributes that tie them to it. */
function controlParts({ texts, errors }: FormContext, spec: ControlSpec) {
  const id = fieldId(spec.path);
  const invalid = errors[spec.path] !== undefined;
  const describedBy = [spec.hint && `${id}-hint`, invalid && `${id}-error`].filter(Boolean).join(" ");
  return {
    id,
    className: invalid ? "field invalid" : "field",
    label: markup`${spec.label}${spec.optional && markup` <span class="muted">${texts.optional}</span>`}`,
    hint: spec.hint && markup`<p class="hint" id="${id}-hint">${spec.hint}</p>`,
    error:
      invalid &&
      markup`<p class="error-message" id="${id}-error"><span class="visually-hidden">${texts.errorPrefix} </span>${spec.error()}</p>`,
    describedBy: describedBy && markup` aria-describedby="${describedBy}"`,
    invalid: invalid && markup` aria-invalid="true"`,
  };
}

function fieldParts(context: FormContext, field: FormField, optional: boolean) {
  return controlParts(context, {
    path: field,
    label: context.texts.fields[field].label,
    hint: exampleHint(context, field) ?? context.texts.fields[field].hint,
    optional,
    error: () => errorText(context, field),
  });
}

type AttributeValue = string | number | boolean | undefined;

/** Attributes from a record: `true` writes the bare name, `false` and `undefined` leave it out. */
function attributes(record: Record<string, AttributeValue>): Interpolation[] {
  return Object.entries(record).map(([name, value]) => {
    if (value === undefined || value === false) return "";
    return value === true ? markup` ${name}` : markup` ${name}="${value}"`;
  });
}

function textInput(context: FormContext, field: FormField, options: Record<string, AttributeValue>): Markup {
  const parts = fieldParts(context, field, options.required !== true);
  const type = options.type ?? "text";
  const attrs = attributes({ ...options, type });
  return markup`<div class="${parts.className}">
<label for="${parts.id}">${parts.label}</label>${parts.hint}${parts.error}
<input id="${parts.id}" name="${field}" value="${context.values[field] ?? ""}"${attrs}${parts.describedBy}${parts.invalid}>
</div>`;
}

/** The event's examples for a text field, as its hint ("For example: …"), in the page language. */
function exampleHint({ form, texts, language }: FormContext, field: FormField): string | undefined {
  const examples = (textFields as readonly string[]).includes(field)
    ? form?.examples?.[field as (typeof textFields)[number]]
    : undefined;
  return examples && texts.form.example(pickText(examples, language));
}

interface Option {
  value: string;
  label: string;
  lang?: Language;
}

interface OptionGroup {
  label: string;
  options: Option[];
}

function select(
  context: FormContext,
  field: FormField,
  options: Option[] | OptionGroup[],
  settings: { required: boolean; autocomplete?: string; fallback?: string },
): Markup {
  const parts = fieldParts(context, field, !settings.required);
  const chosen = (context.values[field] || settings.fallback || "").toLowerCase();
  const placeholder =
    settings.fallback === undefined && markup`<option value="">${context.texts.form.choose}</option>`;
  // A value listed in two groups is selected in the first only.
  let selectedYet = false;
  const option = ({ value, label, lang }: Option) => {
    const selected = !selectedYet && value.toLowerCase() === chosen;
    selectedYet ||= selected;
    return markup`<option value="${value}"${lang && markup` lang="${lang}"`}${selected && markup` selected`}>${label}</option>`;
  };
  const rendered = options.map((entry) =>
    "options" in entry
      ? markup`<optgroup label="${entry.label}">${entry.options.map(option)}</optgroup>`
      : option(entry),
  );
  const attrs = attributes({ required: settings.required, autocomplete: settings.autocomplete });
  return markup`<div class="${parts.className}">
<label for="${parts.id}">${parts.label}</label>${parts.hint}${parts.error}
<select id="${parts.id}" name="${field}"${attrs}${parts.describedBy}${parts.invalid}>${placeholder}${rendered}</select>
</div>`;
}

function checkbox(context: FormContext, field: FormField, required: boolean): Markup {
  const parts = fieldParts(context, field, false);
  const checked = checkedValues.has((context.values[field] ?? "").toLowerCase());
  const attrs = attributes({ checked, required });
  return markup`<div class="${parts.className}">${parts.error}
<div class="choice"><input type="checkbox" id="${parts.id}" name="${field}" value="on"${attrs}${parts.describedBy}${parts.invalid}>
<label for="${parts.id}">${parts.label}</label></div>${parts.hint}
</div>`;
}

const organisationTypeOptions = (texts: PageTexts): Option[] =>
  organisationTypes.map((type) => ({ value: type, label: texts.organisationTypes[type] }));

/**
 * Each of the event's languages in its own name, as registrants look for it ("Français" on an
 * English page too); the page's language too, when reached by `?lang=` though the event lacks it.
 */
const languageOptions = (context: FormContext): Option[] =>
  languages
    .filter((language) => context.languages.includes(language) || language === context.language)
    .map((language) => ({ value: language, label: pageTexts[language].languageName, lang: language }));

/**
 * The event's shortlist of countries, where most of its registrants work, offered first so that
 * nobody scrolls through 250 countries on a phone's picker; they stay in the full list too, where
 * people who read it alphabetically look for them. Without a shortlist, the full list alone.
 */
function countryGroups({ texts, language, form }: FormContext): Option[] | OptionGroup[] {
  const all = countryOptions(language);
  const shortlist = form?.countryShortlist;
  if (!shortlist) return all;
  const chosen = new Set<string>(shortlist.countries);
  return [
    {
      label: shortlist.label ? pickText(shortlist.label, language) : texts.form.countryGroups.shortlist,
      options: all.filter(({ value }) => chosen.has(value)),
    },
    { label: texts.form.countryGroups.all, options: all },
  ];
}

const countryOptionsByLanguage = new Map<Language, Option[]>();

/** All countries named in the page language and sorted as that language sorts (É after E in French). */
function countryOptions(language: Language): Option[] {
  const cached = countryOptionsByLanguage.get(language);
  if (cached) return cached;
  const options = countryCodes
    .map((code) => ({ value: code, label: countryName(code, language) }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
  countryOptionsByLanguage.set(language, options);
  return options;
}

/**
 * The session choice, which is also the summary of each session: its start in its time zone, in
 * the registrant's (written by the browser) and in UTC, language and duration, seats left or the
 * waiting list, and its agenda folded under it (outside the label, whose box selects the session).
 */
function sessionPicker(context: FormContext): Markup {
  const { sessions, seatsLeft, language } = context;
  const parts = fieldParts(context, "sessionId", false);
  const chosen = context.values.sessionId ?? (sessions.length === 1 ? sessions[0]?.id : undefined);
  const radios = sessions.map((session, index) => {
    const id = index === 0 ? parts.id : `${parts.id}-${session.id}`;
    const attrs = attributes({ checked: session.id === chosen, required: true });
    const agenda = agendaList(session, language);
    return markup`<div class="choice">
<input type="radio" id="${id}" name="sessionId" value="${session.id}"${attrs}${parts.invalid}>
<label for="${id}">${sessionTime(session, language)}
<span>${sessionFacts(session, language)}</span>${availability(language, seatsLeft[session.id] ?? null, false)}</label>
</div>
${agenda && markup`<details class="choice-agenda"><summary>${summaryTexts[language].agenda}</summary>${agenda}</details>`}`;
  });
  return markup`<fieldset class="${parts.className}"${parts.describedBy}>
<legend>${parts.label}</legend>${parts.hint}${parts.error}
${radios}
</fieldset>`;
}

function privacyNotice({ texts, organisers, eventId, language }: FormContext): Markup {
  const paragraphs = texts.privacy.paragraphs(organisers).map((paragraph) => markup`<p>${paragraph}</p>`);
  return markup`<section class="notice" aria-labelledby="privacy-title">
<h2 id="privacy-title">${texts.privacy.title}</h2>
${paragraphs}
<p><a href="${pathTo("privacyNotice", { eventId }, { lang: language })}">${texts.privacy.fullNotice}</a></p>
<p class="muted">${texts.privacy.version(privacyNoticeVersion)}</p>
</section>`;
}

/** A question of the event: its label and hint in the page language (marked when shown in another). */
function questionEntry(context: FormContext, question: Question): FormEntry {
  const path = `answers.${question.id}`;
  const error = () => answerError(context, question, path);
  return { path, error, render: () => renderQuestion(context, question, path, error) };
}

/** What to do about an answer: give one when it is missing, else what was wrong with it. */
function answerError({ texts, values }: FormContext, question: Question, path: string): string {
  const isText = question.type === "short-text" || question.type === "long-text";
  const given =
    question.type === "multiple-choice"
      ? Object.keys(values).some((name) => name.startsWith(`${path}.`))
      : (values[path] ?? "").trim() !== "";
  if (!given) return isText ? texts.answers.missing : texts.answers.missingChoice;
  return isText ? texts.answers.tooLong(question.maxLength) : texts.answers.invalid;
}

const shownText = (text: LocalizedText, language: Language): Markup =>
  markup`<span${langOf(text, language)}>${pickText(text, language)}</span>`;

function renderQuestion(context: FormContext, question: Question, path: string, error: () => string): Markup {
  const { language, values, texts } = context;
  const parts = controlParts(context, {
    path,
    label: shownText(question.label, language),
    hint: question.hint && shownText(question.hint, language),
    optional: !question.required,
    error,
  });
  const aria = markup`${parts.describedBy}${parts.invalid}`;
  switch (question.type) {
    case "short-text":
      return markup`<div class="${parts.className}">
<label for="${parts.id}">${parts.label}</label>${parts.hint}${parts.error}
<input id="${parts.id}" name="${path}" type="text" value="${values[path] ?? ""}"${attributes({ maxlength: question.maxLength, required: question.required })}${aria}>
</div>`;
    case "long-text":
      return markup`<div class="${parts.className}">
<label for="${parts.id}">${parts.label}</label>${parts.hint}${parts.error}
<textarea id="${parts.id}" name="${path}" rows="5"${attributes({ maxlength: question.maxLength, required: question.required })}${aria}>${values[path] ?? ""}</textarea>
</div>`;
    case "single-choice":
    case "yes-no": {
      const choices =
        question.type === "yes-no"
          ? [
              { value: "yes", label: markup`${texts.form.yes}` },
              { value: "no", label: markup`${texts.form.no}` },
            ]
          : question.choices.map((choice) => ({
              value: choice.id,
              label: shownText(choice.label, language),
            }));
      const chosen = values[path] ?? "";
      const radios = choices.map((choice, index) => {
        const id = index === 0 ? parts.id : `${parts.id}-${choice.value}`;
        const attrs = attributes({ checked: choice.value === chosen, required: question.required });
        return markup`<div class="choice"><input type="radio" id="${id}" name="${path}" value="${choice.value}"${attrs}${parts.invalid}>
<label for="${id}">${choice.label}</label></div>`;
      });
      return markup`<fieldset class="${parts.className}"${parts.describedBy}>
<legend>${parts.label}</legend>${parts.hint}${parts.error}
${radios}
</fieldset>`;
    }
    case "multiple-choice": {
      // One name per choice: a form body keeps one value per name.
      const boxes = question.choices.map((choice, index) => {
        const id = index === 0 ? parts.id : `${parts.id}-${choice.id}`;
        const name = `${path}.${choice.id}`;
        const checked = checkedValues.has((values[name] ?? "").toLowerCase());
        return markup`<div class="choice"><input type="checkbox" id="${id}" name="${name}" value="on"${attributes({ checked })}${parts.invalid}>
<label for="${id}">${shownText(choice.label, language)}</label></div>`;
      });
      return markup`<fieldset class="${parts.className}"${parts.describedBy}>
<legend>${parts.label}</legend>${parts.hint}${parts.error}
${boxes}
</fieldset>`;
    }
  }
}

/** What a registrant cannot correct on their manage page: who they are to the system (the consents are never in it). */
const notCorrectable = new Set(["sessionId", "email", "language"]);

/**
 * The controls a registrant may correct after registering (their manage page, `self-service`):
 * the event's own fields and questions exactly as its form shows them (labels, hints, errors next
 * to each, values kept), without the session, email, mail language and consents.
 */
export function correctionControls(options: {
  event: PublicEvent;
  language: Language;
  values: Record<string, string>;
  errors: Record<string, string>;
}): Markup {
  const { event, language } = options;
  const context: FormContext = {
    texts: pageTexts[language],
    language,
    values: options.values,
    errors: options.errors,
    sessions: [],
    seatsLeft: {},
    organisers: pickText(event.organiser.name, language),
    eventId: event.id,
    form: event.form,
    languages: eventLanguages(event),
  };
  const entries = formEntries(context).filter((entry) => !notCorrectable.has(entry.path));
  return markup`${entries.map((entry) => entry.render())}`;
}
