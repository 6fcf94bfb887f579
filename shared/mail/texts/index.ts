import type { Language } from "../../domain/languages.ts";
import { ar } from "./ar.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { MailTexts } from "./mail-texts.ts";

export type { KindTexts, MailKind, MailTexts, TextValues } from "./mail-texts.ts";
export { mailKinds } from "./mail-texts.ts";

/**
 * The mail texts of every language Convene speaks. Keyed by `Language`, so adding a language to
 * `languages` fails to compile until its file is added here.
 */
export const mailTexts: Record<Language, MailTexts> = { fr, en, ar };
