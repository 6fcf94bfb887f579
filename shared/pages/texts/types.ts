import type {
  OrganisationType,
  RegistrationStatus,
  registrationInputSchema,
} from "../../domain/registration.ts";

/** Every field of the registration form: the schema's keys, so a new field without texts is a type error. */
export type FormField = keyof typeof registrationInputSchema.shape;

export interface FieldTexts {
  label: string;
  hint?: string;
  /** Shown next to the field when it is invalid; says what to do, in the page language. */
  error: string;
  /** Shown instead of `error` when a required field was left empty: just what to enter. */
  missing?: string;
}

export interface PageMessage {
  title: string;
  message: string;
}

/**
 * All words the pages show, for one language. One file per language implements it, so a missing
 * text is a type error and adding a language adds a file.
 */
export interface PageTexts {
  /** This language's name in itself ("Français"), for the language switch and the language select. */
  languageName: string;
  languageSwitchLabel: string;
  /** Appended to the labels of optional fields. */
  optional: string;
  /** Read by screen readers before an error message. */
  errorPrefix: string;
  /** Prefixed to the document title when a form comes back with errors. */
  errorTitlePrefix: string;
  form: {
    pageTitle: string;
    kicker: string;
    organisedBy: (organisers: string) => string;
    requiredNote: string;
    choose: string;
    submit: string;
    errorSummaryTitle: string;
    /** The country list's groups: the event's shortlist first (its own label, else this one), then all. */
    countryGroups: { shortlist: string; all: string };
    /** A hint giving the event's examples of what to enter in a field. */
    example: (examples: string) => string;
    yes: string;
    no: string;
    /** Outside the event's registration window; dates are written in the page language. */
    notYetOpen: (opensAt: string) => PageMessage;
    closedSince: (closedAt: string) => PageMessage;
    /** Under the intro while registration is open and has an end. */
    closesAt: (closesAt: string) => string;
    /** When the form's anti-script traps refused a post (sent within seconds of loading it, or altered). */
    sendAgain: string;
  };
  /** Errors next to the event's own questions. */
  answers: {
    missing: string;
    missingChoice: string;
    tooLong: (max: number) => string;
    invalid: string;
  };
  fields: Record<FormField, FieldTexts>;
  organisationTypes: Record<OrganisationType, string>;
  session: {
    /** `languageName` is the session language's name in the page language (from Intl). */
    language: (languageName: string) => string;
    duration: (minutes: number) => string;
    seatsLeft: (seats: number) => string;
    waitingList: string;
  };
  privacy: {
    title: string;
    paragraphs: (organisers: string) => string[];
    version: (version: string) => string;
    /** The link to the event's full privacy notice (form, manage page). */
    fullNotice: string;
  };
  registration: {
    session: string;
    name: string;
    organisation: string;
    email: string;
    status: string;
    statuses: Record<RegistrationStatus, string>;
  };
  thankYou: {
    confirmed: PageMessage;
    waitlisted: PageMessage;
    alreadyRegistered: PageMessage;
    spamHint: string;
  };
  manage: {
    pageTitle: string;
    cancelTitle: string;
    cancelWarning: string;
    cancelButton: string;
    alreadyCancelled: string;
  };
  /** The link to the registration form, after a cancellation. */
  registerAgain: string;
  cancelled: PageMessage;
  messages: {
    registrationClosed: PageMessage;
    invalidLink: PageMessage;
    notFound: PageMessage;
    /** 429: too many registrations (or cancellations, unsubscribes) from one place in a short time. */
    rateLimited: PageMessage;
    /** 503: too many people at the same moment (any page): worth trying again in a few seconds. */
    busy: PageMessage;
    error: PageMessage;
  };
  /** Shown on message pages with an error status, for registrants to quote to the organisers. */
  errorCode: (status: number) => string;
}
