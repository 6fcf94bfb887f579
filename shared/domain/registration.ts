import * as z from "zod";
import { isCountryCode } from "./countries.ts";
import { languageSchema } from "./languages.ts";
import { oneLineSchema } from "./one-line.ts";

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
const oneLine = oneLineSchema;
const requiredLine = (max: number) => oneLine(max).refine((value) => value.length > 0, "required");
const optionalLine = (max: number) =>
  oneLine(max)
    .optional()
    .transform((value) => value || undefined);
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .optional()
    .transform((value) => value?.trim() || undefined);

/** Checkboxes of an HTML form send "on"; JSON sends booleans. Both mean the same. */
const formBoolean = z.union([
  z.boolean(),
  z.enum(["on", "true", "yes", "1"]).transform(() => true),
  z.enum(["off", "false", "no", "0", ""]).transform(() => false),
]);

/** The body of `POST /events/{eventId}/registrations`, as JSON or as a form. */
export const registrationInputSchema = z.object({
  sessionId: z.string({ error: "choose a session" }).min(1, "choose a session"),
  email: z
    .string({ error: "required" })
    .trim()
    .pipe(z.email("must be an email address such as name@example.org").max(254)),
  firstName: requiredLine(100),
  lastName: requiredLine(100),
  organisation: requiredLine(200),
  organisationType: z.enum(organisationTypes, { error: `must be one of: ${organisationTypes.join(", ")}` }),
  country: z
    .string({ error: "required" })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "must be an ISO 3166-1 alpha-2 code such as FR"),
  /**
   * Only an explicit yes counts. Not `.optional().refine(...)`: zod skips the refinement of an
   * optional key that is absent, which let a body without `consent` through as consenting.
   */
  consent: z.union([z.literal(true), z.enum(["on", "true", "yes", "1"]).transform((): true => true)], {
    error: "you must accept the privacy notice to register",
  }),
  jobTitle: optionalLine(200),
  department: optionalLine(200),
  city: optionalLine(100),
  language: z.union([languageSchema, z.literal("").transform(() => undefined)]).optional(),
  questions: optionalText(2_000),
  practice: optionalText(2_000),
  updates: formBoolean.optional().transform((value) => value ?? false),
});
export type RegistrationInput = z.input<typeof registrationInputSchema>;
export type ValidRegistrationInput = z.infer<typeof registrationInputSchema>;

/**
 * A registration as stored. Stores parse what they read with it, so an item that does not have this
 * shape fails loudly where it is read instead of somewhere downstream.
 */
export const registrationSchema = z.object({
  registrationId: z.string(),
  eventId: z.string(),
  sessionId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  organisation: z.string(),
  organisationType: z.enum(organisationTypes),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  city: z.string().optional(),
  country: z.string(),
  language: languageSchema,
  questions: z.string().optional(),
  practice: z.string().optional(),
  updates: z.boolean(),
  consent: z.object({ acceptedAt: z.string(), noticeVersion: z.string() }),
  status: z.enum(registrationStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
  /** What the registration was before its cancellation: a confirmed one freed a seat. */
  cancelledFrom: z.enum(["confirmed", "waitlisted"]).optional(),
  /** Counts the confirmations asked for (first one, then resends), so each is mailed once. */
  confirmationNumber: z.number().int(),
});
export type Registration = z.infer<typeof registrationSchema>;

/** Emails are compared trimmed and case-insensitively: "Ada@Example.org " is "ada@example.org". */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
