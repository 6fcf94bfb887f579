import * as z from "zod";
import { built } from "./built.ts";
import { isCountryCode } from "./countries.ts";
import { type Language, languageSchema, languages } from "./languages.ts";
import { requiredLineSchema } from "./localized-line.ts";
import { oneLineSchema, perLength } from "./one-line.ts";
import {
  answersSchema,
  answersSchemaOf,
  collectAnswers,
  type FieldMode,
  type FormSettings,
  fieldMode,
  registrantLanguageSchema,
  type StandardField,
  standardFields,
} from "./registration-form.ts";

export const organisationTypes = [
  "local-government",
  "regional-government",
  "national-government",
  "civil-society",
  "international-organisation",
  "academia",
  "private-sector",
  "other",
] as const;
export type OrganisationType = (typeof organisationTypes)[number];

/**
 * Version of the privacy notice a registrant accepts, stored with each consent: derived from the
 * notice's text (`shared/domain/privacy-notice.ts`), so it changes whenever the text changes.
 */
export { privacyNoticeVersion } from "./privacy-notice.ts";

export const registrationStatuses = ["confirmed", "waitlisted", "cancelled"] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/** A name or short text that ends up in mail headers and pages (see `oneLineSchema`). */
const requiredLine = requiredLineSchema;
const optionalLine = perLength((max: number) =>
  oneLineSchema(max)
    .optional()
    .transform((value) => value || undefined),
);

/** Checkboxes of an HTML form send "on"; JSON sends booleans. Both mean the same. */
const formBoolean = /* @__PURE__ */ built(() =>
  z.union([
    z.boolean(),
    z.enum(["on", "true", "yes", "1"]).transform(() => true),
    z.enum(["off", "false", "no", "0", ""]).transform(() => false),
  ]),
);

/** How each standard field is checked when the event asks it as required, and as optional. */
const countryCode = /* @__PURE__ */ built(() =>
  z
    .string({ error: "required" })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "must be an ISO 3166-1 alpha-2 code such as FR"),
);
const organisationType = /* @__PURE__ */ built(() =>
  z.enum(organisationTypes, { error: `must be one of: ${organisationTypes.join(", ")}` }),
);
const blankIsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const standardFieldSchemas = /* @__PURE__ */ built(
  () =>
    ({
      organisation: { required: requiredLine(200), optional: optionalLine(200) },
      organisationType: { required: organisationType, optional: blankIsAbsent(organisationType) },
      country: { required: countryCode, optional: blankIsAbsent(countryCode) },
      city: { required: requiredLine(100), optional: optionalLine(100) },
      jobTitle: { required: requiredLine(200), optional: optionalLine(200) },
      department: { required: requiredLine(200), optional: optionalLine(200) },
    }) satisfies Record<StandardField, Record<Exclude<FieldMode, "off">, z.ZodType>>,
);

/** What every form asks, whatever the event: the session, who registers, consent. */
const commonFields = /* @__PURE__ */ built(() => ({
  sessionId: z.string({ error: "choose a session" }).min(1, "choose a session"),
  email: z
    .string({ error: "required" })
    .trim()
    .pipe(z.email("must be an email address such as name@example.org").max(254)),
  firstName: requiredLine(100),
  lastName: requiredLine(100),
  /**
   * Only an explicit yes counts. Not `.optional().refine(...)`: zod skips the refinement of an
   * optional key that is absent, which let a body without `consent` through as consenting.
   */
  consent: z.union([z.literal(true), z.enum(["on", "true", "yes", "1"]).transform((): true => true)], {
    error: "you must accept the privacy notice to register",
  }),
  language: registrantLanguageSchema(languages),
  updates: formBoolean.optional().transform((value) => value ?? false),
}));

/**
 * The body of `POST /events/{eventId}/registrations` for an event that says nothing about its
 * form: the standard fields with today's rules, no questions of its own. The functions use
 * `registrationInputSchemaFor`, so this one is built by tests and for types only (see `built`).
 */
export const registrationInputSchema = /* @__PURE__ */ built(() =>
  z.object({
    ...commonFields,
    organisation: standardFieldSchemas.organisation.required,
    organisationType: standardFieldSchemas.organisationType.required,
    country: standardFieldSchemas.country.required,
    jobTitle: standardFieldSchemas.jobTitle.optional,
    department: standardFieldSchemas.department.optional,
    city: standardFieldSchemas.city.optional,
  }),
);
export type RegistrationInput = z.input<typeof registrationInputSchema>;

/**
 * The body of a registration for one event's form, as JSON or as a form: its standard fields as it
 * asks them (a field it leaves out is dropped, like any unknown key), and its questions' answers
 * under `answers` (see `collectAnswers`). The HTML form and the API are checked by this one schema.
 * Given the languages the event `offers` (`eventLanguages`), `language` must be one of them.
 */
export function registrationInputSchemaFor(form: FormSettings | undefined, offers?: readonly Language[]) {
  const standard = Object.fromEntries(
    standardFields.flatMap((field) => {
      const mode = fieldMode(form, field);
      return mode === "off" ? [] : [[field, standardFieldSchemas[field][mode]]];
    }),
  );
  const answers = answersSchemaOf(form?.questions ?? []);
  // Built from the event's settings, so its shape is known to the compiler only as a subset of any form's.
  return z.preprocess(
    (body) =>
      typeof body === "object" && body !== null
        ? { ...body, answers: collectAnswers(body as Record<string, unknown>) }
        : body,
    z.object({
      ...commonFields,
      ...(offers && { language: registrantLanguageSchema(offers) }),
      ...standard,
      answers,
    }),
  ) as unknown as z.ZodType<ValidRegistrationInput>;
}

/** What any event's form may give: every standard field optional, and answers. Built for its type only. */
const anyFormInputSchema = /* @__PURE__ */ built(() =>
  z.object({
    ...commonFields,
    ...(Object.fromEntries(standardFields.map((field) => [field, standardFieldSchemas[field].optional])) as {
      [F in StandardField]: (typeof standardFieldSchemas)[F]["optional"];
    }),
    answers: answersSchema.optional(),
  }),
);
export type ValidRegistrationInput = z.infer<typeof anyFormInputSchema>;

/**
 * A registration as stored. Stores parse what they read with it, so an item that does not have this
 * shape fails loudly where it is read instead of somewhere downstream.
 */
export const registrationSchema = /* @__PURE__ */ built(() =>
  z.object({
    registrationId: z.string(),
    eventId: z.string(),
    sessionId: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    /** Standard fields an event may leave out (see `shared/domain/registration-form.ts`). */
    organisation: z.string().optional(),
    organisationType: z.enum(organisationTypes).optional(),
    jobTitle: z.string().optional(),
    department: z.string().optional(),
    city: z.string().optional(),
    country: z.string().optional(),
    language: languageSchema,
    /** Answers to the event's own questions, by question id. */
    answers: answersSchema.optional(),
    /** Registrations made before forms per event kept the demo event's two questions here. */
    questions: z.string().optional(),
    practice: z.string().optional(),
    updates: z.boolean(),
    /**
     * The consent: when, the notice's version (its text), and what it said of this event (its
     * controllers, contact and retention, which organisers may change later), as the registrant
     * read it. Registrations made before kept no `facts`.
     */
    consent: z.object({
      acceptedAt: z.string(),
      noticeVersion: z.string(),
      facts: z
        .object({
          controllers: z.array(z.object({ name: z.string(), email: z.string() })),
          contact: z.string(),
          retentionDays: z.int(),
        })
        .optional(),
    }),
    status: z.enum(registrationStatuses),
    createdAt: z.string(),
    updatedAt: z.string(),
    cancelledAt: z.string().optional(),
    /** What the registration was before its cancellation: a confirmed one freed a seat. */
    cancelledFrom: z.enum(["confirmed", "waitlisted"]).optional(),
    /** Counts the confirmations asked for (first one, then resends), so each is mailed once. */
    confirmationNumber: z.number().int(),
    /**
     * Counts the registrant's own switches of session (manage page): each switch is a new calendar
     * entry (`calendarUid`), so the old one can be removed by a CANCEL, and its own mails.
     */
    switchCount: z.number().int().optional(),
    /** When DynamoDB's TTL deletes it (epoch seconds): see `shared/privacy/retention.ts`. */
    expiresAt: z.number().int().optional(),
  }),
);
export type Registration = z.infer<typeof registrationSchema>;

/**
 * The UID of a registration's calendar entry: stable for one registration, so every later invite
 * updates the same entry, and new after each switch of session by the registrant (a CANCEL of the
 * old entry must not remove the new one, whatever order the two mails arrive in).
 */
export const calendarUid = ({
  registrationId,
  switchCount,
}: Pick<Registration, "registrationId" | "switchCount">) =>
  switchCount ? `${registrationId}.${switchCount}@convene` : `${registrationId}@convene`;

/** Emails are compared trimmed and case-insensitively: "Ada@Example.org " is "ada@example.org". */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
