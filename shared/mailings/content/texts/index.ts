import type { Language } from "../../../domain/languages.ts";
import { ar } from "./ar.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { MailingTexts } from "./mailing-texts.ts";

export type { MailingTexts } from "./mailing-texts.ts";

/**
 * The mailing texts of every language Convene speaks. Keyed by `Language`, so adding a language to
 * `languages` fails to compile until its file is added here.
 */
export const mailingTexts: Record<Language, MailingTexts> = { fr, en, ar };
