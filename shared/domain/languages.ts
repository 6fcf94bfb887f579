import * as z from "zod";
import { built } from "./built.ts";

/**
 * The languages Convene speaks. Languages are data: adding one means adding its entry here and its
 * texts (form, emails), nothing else. Every schema that takes a language reads this list.
 */
export const languages = ["fr", "en", "ar"] as const;

/**
 * The locale each language's dates and numbers are written in. English readers in Europe, Africa
 * and the Middle East expect "Thursday 4 March 2027, 14:00", not the US "March 4, 2027 at 2:00 PM".
 * Arabic is written with Latin digits ("ar-u-nu-latn"): Arabic readers in Tunisia and Morocco use
 * them every day, and in Egypt, Jordan and Lebanon, where Arabic-Indic digits are common, Latin
 * digits are read by everyone too (phones, prices, URLs). The reverse is not true in the Maghreb,
 * and the times in a mail then match the invite and the calendar, which show Latin digits.
 * Plain "ar" would follow the runtime's CLDR default, which has changed between versions.
 */
export const locales: Record<(typeof languages)[number], string> = {
  fr: "fr-FR",
  en: "en-GB",
  ar: "ar-u-nu-latn",
};

/**
 * The writing direction of each language, for `dir` on pages and mails: Arabic is read right to
 * left, and with `dir="rtl"` the browser mirrors the layout (the CSS uses logical properties).
 */
export const directions: Record<(typeof languages)[number], "ltr" | "rtl"> = {
  fr: "ltr",
  en: "ltr",
  ar: "rtl",
};

export const languageSchema = /* @__PURE__ */ built(() =>
  z.enum(languages, { error: `must be one of: ${languages.join(", ")}` }),
);
export type Language = z.infer<typeof languageSchema>;

/** A text given in one or more languages, e.g. `{"fr": "…", "en": "…"}`. */
export const localizedTextSchema = /* @__PURE__ */ built(() =>
  z
    .partialRecord(languageSchema, z.string().trim().min(1).max(5_000))
    .refine((text) => Object.keys(text).length > 0, "give the text in at least one language"),
);
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** The text in `language`, else in the first language that has one (registrants never get an empty mail). */
export function pickText(text: LocalizedText, language: Language): string {
  const fallback = languages.map((other) => text[other]).find((value) => value !== undefined);
  return text[language] ?? fallback ?? "";
}
