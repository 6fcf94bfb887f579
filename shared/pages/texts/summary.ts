import type { Language } from "../../domain/languages.ts";

/**
 * The words of an event's summary (form, event page) and of its branding, per language: kept apart
 * from `PageTexts`, which other parts of the code extend; a record over `Language` still makes a
 * language without its texts a type error.
 */
export interface SummaryTexts {
  /** Before the registrant's own time, which the browser writes in (its time zone's name after it). */
  yourTime: string;
  /** The `<summary>` of a session's agenda. */
  agenda: string;
  /** "10:00 – 10:45", a part's start and end, in the session's time zone. */
  partTimes: (start: string, end: string) => string;
  moderators: (count: number) => string;
  speakers: (count: number) => string;
  /** A person with an affiliation: "Name (UCLG)". */
  person: (name: string, affiliation: string) => string;
  /** The `<summary>` that opens the rest of a description after its first paragraph. */
  readMore: string;
  /** The accessible name of the row of organisers' logos. */
  logos: string;
  /** Between a label and its list: ": " in English, "\u00a0: " in French. */
  colon: string;
  /** In place of the seats of a session the organisers cancelled. */
  cancelled: string;
}

export const summaryTexts: Record<Language, SummaryTexts> = {
  en: {
    yourTime: "Your time:",
    agenda: "Agenda",
    partTimes: (start, end) => `${start} – ${end}`,
    moderators: (count) => (count === 1 ? "Moderator" : "Moderators"),
    speakers: (count) => (count === 1 ? "Speaker" : "Speakers"),
    person: (name, affiliation) => `${name} (${affiliation})`,
    readMore: "Read the full description",
    logos: "Organisers",
    colon: ": ",
    cancelled: "This session has been cancelled.",
  },
  fr: {
    yourTime: "Chez vous\u00a0:",
    agenda: "Programme",
    partTimes: (start, end) => `${start} – ${end}`,
    moderators: (count) => (count === 1 ? "Modération" : "Modérateurs et modératrices"),
    speakers: (count) => (count === 1 ? "Intervention" : "Intervenants et intervenantes"),
    person: (name, affiliation) => `${name} (${affiliation})`,
    readMore: "Lire la description complète",
    logos: "Organisateurs",
    colon: "\u00a0: ",
    cancelled: "Cette session est annulée.",
  },
  ar: {
    yourTime: "بتوقيتك:",
    agenda: "البرنامج",
    partTimes: (start, end) => `${start} – ${end}`,
    moderators: (count) => (count === 1 ? "إدارة الجلسة" : "مديرو الجلسة"),
    speakers: (count) => (count === 1 ? "المتحدث" : "المتحدثون"),
    person: (name, affiliation) => `${name} (${affiliation})`,
    readMore: "اقرأ الوصف كاملًا",
    logos: "الجهات المنظمة",
    colon: ": ",
    cancelled: "أُلغيت هذه الجلسة.",
  },
};
