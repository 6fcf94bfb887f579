import * as z from "zod";
import { type Language, type LocalizedText, languageSchema, languages } from "./languages.ts";
import { oneLineSchema, perLength } from "./one-line.ts";

/** One line of visible text, required (trimmed, then non-empty): a name, an alt text, a part's title. */
export const requiredLineSchema = perLength((max: number) =>
  oneLineSchema(max).refine((line) => line.length > 0, "required"),
);

/** A one-line text per language (`{"fr": "CGLU", "en": "UCLG"}`), in at least one language. */
export const localizedLineSchema = perLength((max: number) =>
  z
    .partialRecord(languageSchema, requiredLineSchema(max))
    .refine((text) => Object.keys(text).length > 0, "give the text in at least one language"),
);

/** The same line in every language: what a plain string meant before names were given per language. */
const inEveryLanguage = (line: string): LocalizedText =>
  Object.fromEntries(languages.map((language) => [language, line])) as Record<Language, string>;

/**
 * A name per language that also accepts a plain string, as events and clients written before
 * names were per language send it (`"organiser": {"name": "UCLG and UNICEF"}`). The string is
 * normalised to the same name in every language, so readers only ever see the per-language map
 * and stored events keep working (they are parsed again on read). The input is checked with the
 * schema of its own shape, so a string's problem is reported at the name itself
 * (`organiser.name: must be on one line`), not as an opaque "invalid union".
 */
export const localizedNameSchema = perLength((max: number) => {
  const plainName = requiredLineSchema(max).transform(inEveryLanguage);
  const namePerLanguage = localizedLineSchema(max);
  return z.union([z.string(), z.partialRecord(languageSchema, z.string())]).transform((value, context) => {
    const result = typeof value === "string" ? plainName.safeParse(value) : namePerLanguage.safeParse(value);
    if (result.success) return result.data as LocalizedText;
    for (const issue of result.error.issues) {
      context.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });
});

/** The languages of `languagesNeeded` that a per-language text lacks. */
export const missingLanguages = (text: LocalizedText, languagesNeeded: readonly Language[]) =>
  languagesNeeded.filter((language) => !text[language]);
