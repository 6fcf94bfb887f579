import * as z from "zod";
import { type Language, type LocalizedText, languageSchema, languages } from "../../domain/languages.ts";
import { oneLineSchema } from "../../domain/one-line.ts";
import { placeholdersIn } from "./fill-tokens.ts";
import { parseMarkdown } from "./markdown.ts";
import { placeholderProblem, splitPlaceholders } from "./placeholders.ts";
import { linksSchema, segmentSchema } from "./segment.ts";

export { knownPlaceholders, linkPlaceholderPrefix, mailingPlaceholders } from "./placeholders.ts";
export { linksSchema, segmentAttendances, segmentSchema, segmentUpdates } from "./segment.ts";

/** A subject is a header: one line (a control character is refused, not silently removed), then trimmed. */
const oneLine = (max: number) => oneLineSchema(max).refine((value) => value.length > 0, "required");

/** Like `localizedTextSchema`, with the limits of each field of a mailing. */
const localized = (text: z.ZodType<string, string>) =>
  z
    .partialRecord(languageSchema, text)
    .refine((texts) => Object.keys(texts).length > 0, "give the text in at least one language");

type LocalizedFields = { subject: LocalizedText; body: LocalizedText };
type Field = keyof LocalizedFields;
/** A problem of one field's text in one language, where the organiser will look for it. */
type ContentIssue = { path: [Field, Language]; message: string };

/** Each placeholder problem of one text, where an organiser can find it: `body.fr`, `subject.en`. */
function textIssues(field: Field, language: Language, text: string, linkKeys: string[]): ContentIssue[] {
  const names =
    field === "body"
      ? placeholdersIn(parseMarkdown(text))
      : splitPlaceholders(text).flatMap((part) => (typeof part === "string" ? [] : [part.placeholder]));
  return [...new Set(names)].flatMap((name) => {
    const message = placeholderProblem(name, linkKeys);
    return message === undefined ? [] : [{ path: [field, language], message }];
  });
}

/**
 * A subject in one language with a body in another would reach someone half in each: both must
 * be given in the same languages.
 */
function languageIssues(mailing: LocalizedFields): ContentIssue[] {
  const missing = (field: Field, other: Field): ContentIssue[] =>
    languages
      .filter((language) => mailing[other][language] !== undefined && mailing[field][language] === undefined)
      .map((language) => ({
        path: [field, language],
        message: `give the ${field} in "${language}" too: the ${other} is written in "${language}"`,
      }));
  return [...missing("subject", "body"), ...missing("body", "subject")];
}

function contentIssues(
  mailing: LocalizedFields & { links?: Record<string, string> | undefined },
): ContentIssue[] {
  const linkKeys = Object.keys(mailing.links ?? {});
  const fields = ["subject", "body"] as const;
  const placeholderIssues = fields.flatMap((field) =>
    languages.flatMap((language) => {
      const text = mailing[field][language];
      return text === undefined ? [] : textIssues(field, language, text, linkKeys);
    }),
  );
  return [...placeholderIssues, ...languageIssues(mailing)];
}

/**
 * The body of `POST /admin/events/{eventId}/mailings`: a named draft, who it goes to, and what it
 * says in each language. Placeholders are checked here, at the edge, so that a typo is a 400 the
 * organiser can fix rather than `{{fristName}}` in a thousand inboxes.
 */
export const mailingInputSchema = z
  .object({
    name: oneLine(200),
    segment: segmentSchema.prefault({}),
    subject: localized(oneLine(200)),
    body: localized(z.string().trim().min(1, "required").max(20_000, "at most 20,000 characters")),
    links: linksSchema.optional(),
  })
  .superRefine((mailing, context) => {
    for (const issue of contentIssues(mailing)) context.addIssue({ code: "custom", ...issue });
  });
export type MailingInput = z.input<typeof mailingInputSchema>;
/** A mailing's settings once validated (segment defaults applied). */
export type MailingSettings = z.infer<typeof mailingInputSchema>;
/** What rendering needs of a mailing: its texts and links, not its segment. */
export type MailingContent = Pick<MailingSettings, "subject" | "body" | "links">;
