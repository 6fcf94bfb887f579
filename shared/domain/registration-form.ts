import * as z from "zod";
import { built } from "./built.ts";
import { isCountryCode } from "./countries.ts";
import { ConflictError } from "./errors.ts";
import { type Language, languages, localizedTextSchema, pickText } from "./languages.ts";
import { oneLineSchema } from "./one-line.ts";

/**
 * What an event's registration form asks: which standard fields (and whether each is required),
 * the event's own questions, and the words around them (intro, examples, the countries offered
 * first). Everything here is data of the event; the form, the server's validation, the export and
 * the stats all read it, so they cannot disagree.
 */

/** The standard fields an event may ask, leave optional or leave out. Name and email are always asked. */
export const standardFields = [
  "organisation",
  "organisationType",
  "country",
  "city",
  "jobTitle",
  "department",
] as const;
export type StandardField = (typeof standardFields)[number];

export const fieldModes = ["required", "optional", "off"] as const;
export type FieldMode = (typeof fieldModes)[number];

/** Today's form: an event that says nothing about a field asks it as before. */
export const defaultFieldModes: Readonly<Record<StandardField, FieldMode>> = {
  organisation: "required",
  organisationType: "required",
  country: "required",
  city: "optional",
  jobTitle: "optional",
  department: "optional",
};

/** Free-text standard fields, which may show an example of what to enter. */
export const textFields = ["organisation", "city", "jobTitle", "department"] as const;

export const questionTypes = [
  "short-text",
  "long-text",
  "single-choice",
  "multiple-choice",
  "yes-no",
] as const;
export type QuestionType = (typeof questionTypes)[number];

/** Question ids become form names, export columns and stats keys: slugs, never a standard column's name. */
const questionIdPattern = /^[a-z0-9-]{1,40}$/;
/** The export's own columns that a slug could spell: a question of that id would have two columns of one name. */
const reservedQuestionIds = new Set([
  "answers",
  "attended",
  "city",
  "country",
  "department",
  "email",
  "language",
  "organisation",
  "status",
  "updates",
]);
const questionIdSchema = /* @__PURE__ */ built(() =>
  z
    .string()
    .regex(questionIdPattern, "use 1 to 40 characters: lowercase letters, digits and hyphens")
    .refine(
      (id) => !reservedQuestionIds.has(id),
      "this id names a standard column of the export: choose another",
    ),
);

const choiceSchema = /* @__PURE__ */ built(() =>
  z.object({
    id: z.string().regex(questionIdPattern, "use 1 to 40 characters: lowercase letters, digits and hyphens"),
    label: localizedTextSchema,
  }),
);

const choicesSchema = /* @__PURE__ */ built(() =>
  z
    .array(choiceSchema)
    .min(2, "give at least two choices")
    .max(30)
    .superRefine((choices, context) => {
      const seen = new Set<string>();
      choices.forEach((choice, index) => {
        if (seen.has(choice.id))
          context.addIssue({ code: "custom", path: [index, "id"], message: "choice ids must be unique" });
        seen.add(choice.id);
      });
    }),
);

const questionBase = /* @__PURE__ */ built(() => ({
  id: questionIdSchema,
  label: localizedTextSchema,
  hint: localizedTextSchema.optional(),
  required: z.boolean().default(false),
}));

export const questionSchema = /* @__PURE__ */ built(() =>
  z.discriminatedUnion("type", [
    z.object({
      ...questionBase,
      type: z.literal("short-text"),
      maxLength: z.int().min(1).max(200).default(200),
    }),
    z.object({
      ...questionBase,
      type: z.literal("long-text"),
      maxLength: z.int().min(1).max(5000).default(2000),
    }),
    z.object({ ...questionBase, type: z.literal("single-choice"), choices: choicesSchema }),
    z.object({ ...questionBase, type: z.literal("multiple-choice"), choices: choicesSchema }),
    z.object({ ...questionBase, type: z.literal("yes-no") }),
  ]),
);
export type Question = z.infer<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;

/** The part of an event that shapes its form (`event.form`). Every key is optional. */
export const formSettingsSchema = /* @__PURE__ */ built(() =>
  z
    .object({
      /** Shown above the form, under the event's description. */
      intro: localizedTextSchema.optional(),
      fields: z.partialRecord(z.enum(standardFields), z.enum(fieldModes)).optional(),
      /** Examples shown under a text field ("For example: City of Lyon, …"). */
      examples: z.partialRecord(z.enum(textFields), localizedTextSchema).optional(),
      /** Countries offered first in the country list, under their own heading. */
      countryShortlist: z
        .object({
          label: localizedTextSchema.optional(),
          countries: z
            .array(
              z
                .string()
                .trim()
                .toUpperCase()
                .refine(isCountryCode, "must be an ISO 3166-1 alpha-2 code such as FR"),
            )
            .min(1)
            .max(60),
        })
        .optional(),
      questions: z.array(questionSchema).max(20).default([]),
    })
    .superRefine((form, context) => {
      const seen = new Set<string>();
      form.questions.forEach((question, index) => {
        if (seen.has(question.id)) {
          context.addIssue({
            code: "custom",
            path: ["questions", index, "id"],
            message: "question ids must be unique",
          });
        }
        seen.add(question.id);
      });
    }),
);
export type FormSettings = z.infer<typeof formSettingsSchema>;
export type FormSettingsInput = z.input<typeof formSettingsSchema>;

/** How the form asks a standard field for an event (its own setting, else today's). */
export const fieldMode = (form: FormSettings | undefined, field: StandardField): FieldMode =>
  form?.fields?.[field] ?? defaultFieldModes[field];

/**
 * Issues of questions whose label or choices lack one of the event's languages: a registrant reading
 * the form in that language would meet a question in another. Paths are relative to `form`.
 */
export function missingLanguageIssues(form: FormSettings, eventLanguages: readonly Language[]) {
  const issues: { path: (string | number)[]; message: string }[] = [];
  form.questions.forEach((question, index) => {
    for (const language of eventLanguages) {
      if (!question.label[language]) {
        issues.push({
          path: ["questions", index, "label", language],
          message: `give the label in "${language}"`,
        });
      }
      if (question.type === "single-choice" || question.type === "multiple-choice") {
        question.choices.forEach((choice, at) => {
          if (!choice.label[language]) {
            issues.push({
              path: ["questions", index, "choices", at, "label", language],
              message: `give the choice's label in "${language}"`,
            });
          }
        });
      }
    }
  });
  return issues;
}

/** An answer as stored: text, the ids of the chosen choices, or yes/no. */
export const answerSchema = /* @__PURE__ */ built(() =>
  z.union([z.string(), z.array(z.string()), z.boolean()]),
);
export type Answer = z.infer<typeof answerSchema>;
export const answersSchema = /* @__PURE__ */ built(() => z.record(z.string(), answerSchema));
export type Answers = z.infer<typeof answersSchema>;

/** The form sends an unanswered optional choice as "", and yes/no as a radio of "yes" or "no". */
const yesNo = /* @__PURE__ */ built(() =>
  z.union([
    z.boolean(),
    z.enum(["yes", "true", "on", "1"], { error: "answer yes or no" }).transform(() => true),
    z.enum(["no", "false", "0"], { error: "answer yes or no" }).transform(() => false),
  ]),
);

/** An empty form control ("", or a JSON null) is no answer. */
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/**
 * A required answer is "required" when absent or blank, then checked by `schema`; an optional one
 * may be absent or blank (stored as nothing).
 */
function requiredOr<T extends z.ZodType<Answer | undefined>>(required: boolean, schema: T) {
  return required
    ? z
        .preprocess(
          blankToUndefined,
          z.any().refine((value) => value !== undefined, "required"),
        )
        .pipe(schema)
    : z.preprocess(blankToUndefined, schema.optional());
}

/** The schema of one question's answer: the same rules the form shows (required, length, choices). */
export function answerSchemaOf(question: Question): z.ZodType<Answer | undefined> {
  switch (question.type) {
    case "short-text":
    case "long-text": {
      const max = question.maxLength;
      const text =
        question.type === "short-text"
          ? oneLineSchema(max)
          : z
              .string()
              .max(max, `at most ${max} characters`)
              .transform((value) => value.trim());
      // Spaces alone are no answer either.
      return requiredOr(
        question.required,
        text.pipe(
          question.required
            ? z.string().min(1, "required")
            : z.string().transform((value) => value || undefined),
        ),
      );
    }
    case "single-choice": {
      const ids = question.choices.map((choice) => choice.id) as [string, ...string[]];
      return requiredOr(question.required, z.enum(ids, { error: `must be one of: ${ids.join(", ")}` }));
    }
    case "multiple-choice": {
      const ids = question.choices.map((choice) => choice.id) as [string, ...string[]];
      const list = z.preprocess(
        (value) => (typeof value === "string" ? [value] : value),
        z
          .array(z.enum(ids, { error: `must be among: ${ids.join(", ")}` }))
          .transform((chosen) => [...new Set(chosen)])
          .refine((chosen) => !question.required || chosen.length > 0, "required"),
      );
      return requiredOr(question.required, list).transform((chosen) => (chosen?.length ? chosen : undefined));
    }
    case "yes-no":
      return requiredOr(question.required, yesNo);
  }
}

/**
 * The answers of a body, from JSON (`"answers": {"topic": "housing"}`) or from the form, which
 * sends `answers.<question>` and, for a multiple choice, one checkbox `answers.<question>.<choice>`
 * per choice (an HTML form body keeps one value per name).
 */
export function collectAnswers(body: Record<string, unknown>): unknown {
  const given = body.answers;
  // Not an object: left as sent, for the schema to refuse.
  if (given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given)))
    return given;
  const answers: Record<string, unknown> = { ...(given as Record<string, unknown> | undefined) };
  for (const [key, value] of Object.entries(body)) {
    const [prefix, question, choice, ...rest] = key.split(".");
    // Only names a question could have: a field named `answers.__proto__` sets nothing.
    if (prefix !== "answers" || !question || rest.length > 0 || !questionIdPattern.test(question)) continue;
    if (choice === undefined) answers[question] = value;
    else if (value === "on" || value === "true" || value === true) {
      const chosen = answers[question];
      answers[question] = [...(Array.isArray(chosen) ? chosen : []), choice];
    }
  }
  return answers;
}

/** The answers object of an event's form: one key per question, unknown keys dropped, empty answers left out. */
export function answersSchemaOf(questions: readonly Question[]) {
  const shape = Object.fromEntries(questions.map((question) => [question.id, answerSchemaOf(question)]));
  return z.object(shape, { error: "must be an object of answers by question id" }).transform((answers) => {
    const given = Object.entries(answers).filter(([, value]) => value !== undefined);
    // No answer stores no `answers` at all, as before events had questions.
    return given.length > 0 ? (Object.fromEntries(given) as Answers) : undefined;
  });
}

/**
 * Whether a session can still take people (by registering, switching, a promotion from its waiting
 * list, an organiser's move): not cancelled, not started. The one rule for every page, mail and
 * write; the event's registration window (`registrationWindow`) applies on top where people act
 * on their own.
 */
export const isSessionOpen = (session: { startsAt: string; cancelledAt?: string | undefined }, now: Date) =>
  !session.cancelledAt && Date.parse(session.startsAt) > now.getTime();

/** Where an event's registration window stands at `now`. */
export type WindowState = "open" | "not-yet-open" | "closed";

export function registrationWindow(
  event: { registrationOpensAt?: string | undefined; registrationClosesAt?: string | undefined },
  now: Date,
): WindowState {
  if (event.registrationOpensAt && now.getTime() < Date.parse(event.registrationOpensAt))
    return "not-yet-open";
  if (event.registrationClosesAt && now.getTime() >= Date.parse(event.registrationClosesAt)) return "closed";
  return "open";
}

/**
 * The sessions a registrant of `fromSessionId` may move to on their own (the manage page's switch,
 * and the link to it in a cancelled session's mail): the event's other open sessions, and none
 * outside its registration window, since a switch takes a seat as registering does.
 */
export const sessionsToSwitchTo = <
  S extends { id: string; startsAt: string; cancelledAt?: string | undefined },
>(
  event: {
    sessions: readonly S[];
    registrationOpensAt?: string | undefined;
    registrationClosesAt?: string | undefined;
  },
  fromSessionId: string,
  now: Date,
): S[] =>
  registrationWindow(event, now) !== "open"
    ? []
    : event.sessions.filter((session) => session.id !== fromSessionId && isSessionOpen(session, now));

/** Refuses a registration outside the event's window (409 `registration-closed`). */
export function assertRegistrationOpen(
  event: { registrationOpensAt?: string | undefined; registrationClosesAt?: string | undefined },
  now: Date,
): void {
  const state = registrationWindow(event, now);
  if (state === "not-yet-open") {
    throw new ConflictError("registration-closed", `registration opens at ${event.registrationOpensAt}`);
  }
  if (state === "closed") {
    throw new ConflictError("registration-closed", `registration closed at ${event.registrationClosesAt}`);
  }
}

/** The languages of an event: those its title is given in. */
export const eventLanguages = (title: Partial<Record<Language, string>>): Language[] =>
  languages.filter((language) => title[language] !== undefined);

/**
 * The `language` a registrant asks for (their pages, mails and invites): one of those the event
 * `offers` (`eventLanguages`), else nothing (the form's blank, or absent: their session's). A
 * language the event has no texts in would mail them its words around texts in another.
 */
export const registrantLanguageSchema = (offers: readonly Language[]) =>
  z
    .union([z.enum(offers as readonly [Language, ...Language[]]), z.literal("").transform(() => undefined)], {
      error: `must be one of this event's languages: ${offers.join(", ")}`,
    })
    .optional();

/** The answers a stats breakdown counts a question by: its choices' ids, `yes`/`no`, or none for text. */
export function choiceKeys(question: Question): string[] | undefined {
  if (question.type === "yes-no") return ["yes", "no"];
  if (question.type === "single-choice" || question.type === "multiple-choice") {
    return question.choices.map((choice) => choice.id);
  }
  return undefined;
}

/**
 * A registration's answers by question id. Registrations made before forms per event kept the
 * demo event's two questions in fields of their own; they read as answers to its questions of
 * the same ids.
 */
export function answersOf(registration: {
  answers?: Answers | undefined;
  questions?: string | undefined;
  practice?: string | undefined;
}): Answers {
  const { questions, practice } = registration;
  return { ...(questions && { questions }), ...(practice && { practice }), ...registration.answers };
}

/** An answer as text for people (manage page, spreadsheet): choices by their label, yes/no in words. */
export function answerText(
  question: Question,
  answer: Answer | undefined,
  language: Language,
  words: { yes: string; no: string },
): string | undefined {
  if (answer === undefined) return undefined;
  if (typeof answer === "boolean") return answer ? words.yes : words.no;
  const labelOf = (id: string) => {
    const choice =
      "choices" in question ? question.choices.find((candidate) => candidate.id === id) : undefined;
    return choice ? pickText(choice.label, language) : id;
  };
  return Array.isArray(answer)
    ? answer.map(labelOf).join("; ")
    : "choices" in question
      ? labelOf(answer)
      : answer;
}
