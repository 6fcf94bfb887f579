import type { Language } from "../../domain/languages.ts";

/**
 * The words of the public event page that the form's texts do not have already, per language.
 * Kept apart from `PageTexts` (whose form texts another part of the code owns); a record over
 * `Language` still makes a language without its texts a type error.
 */
export interface EventPageTexts {
  kicker: string;
  sessionsTitle: string;
  register: string;
  utcNote: string;
}

export const eventPageTexts: Record<Language, EventPageTexts> = {
  en: {
    kicker: "Online webinar",
    sessionsTitle: "Sessions",
    register: "Register",
    utcNote: "Times are given in each session's time zone, then in UTC.",
  },
  fr: {
    kicker: "Webinaire en ligne",
    sessionsTitle: "Sessions",
    register: "S'inscrire",
    utcNote: "Les horaires sont donnés dans le fuseau horaire de chaque session, puis en UTC.",
  },
  ar: {
    kicker: "ندوة إلكترونية عبر الإنترنت",
    sessionsTitle: "الجلسات",
    register: "سجّل",
    utcNote: "تُذكر المواعيد بتوقيت كل جلسة، ثم بالتوقيت العالمي المنسق (UTC).",
  },
};
