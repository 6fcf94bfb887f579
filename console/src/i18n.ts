import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { directions, type Language, languages, locales } from "#shared/domain/languages";
import { ar } from "./texts/ar.ts";
import { en, type Texts } from "./texts/en.ts";
import { fr } from "./texts/fr.ts";

/**
 * The console's texts, one file per language of `shared/domain/languages.ts`: adding a language
 * there is a type error here until its texts exist.
 */
const texts: Record<Language, Texts> = { en, fr, ar };

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Texts };
  }
}

const storageKey = "convene.language";

/** The organiser's choice if they made one, else the first of the browser's languages we speak. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  const candidates = [stored, ...navigator.languages].filter((value): value is string => Boolean(value));
  for (const candidate of candidates) {
    const base = candidate.toLowerCase().split("-")[0];
    const found = languages.find((language) => language === base);
    if (found) return found;
  }
  return "en";
}

/** The page's language and direction (right to left for Arabic, which the CSS mirrors with logical properties). */
function showLanguage(language: string) {
  const known = languages.find((candidate) => candidate === language) ?? "en";
  document.documentElement.lang = known;
  document.documentElement.dir = directions[known];
}

export function setupI18n() {
  const lng = initialLanguage();
  showLanguage(lng);
  i18next.on("languageChanged", showLanguage);
  return i18next.use(initReactI18next).init({
    lng,
    fallbackLng: "en",
    resources: Object.fromEntries(languages.map((language) => [language, { translation: texts[language] }])),
    interpolation: { escapeValue: false },
  });
}

export function changeLanguage(language: Language) {
  localStorage.setItem(storageKey, language);
  return i18next.changeLanguage(language);
}

export const currentLanguage = (): Language =>
  languages.find((language) => language === i18next.language) ?? "en";

/** The locale dates and numbers are written in, as the pages and mails write them. */
export const currentLocale = () => locales[currentLanguage()];
