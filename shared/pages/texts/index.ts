import type { Language } from "../../domain/languages.ts";
import { ar } from "./ar.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { PageTexts } from "./types.ts";

export type { FieldTexts, FormField, PageMessage, PageTexts } from "./types.ts";

/** The pages' texts by language: a language added to `languages` without its file fails to compile here. */
export const pageTexts: Record<Language, PageTexts> = { fr, en, ar };
