import { builtOnce } from "./built-once.ts";
import { type Language, locales } from "./languages.ts";

/** Formatted times by session start, zone and language (three `Intl.DateTimeFormat`s each). */
const once = builtOnce<{ local: string; utc: string }>();

/**
 * A session's start as registrants read it: in the session's own time zone (where the organisers
 * are) and in UTC (which everyone can convert), in the registrant's language.
 */
export const formatSessionTime = (startsAt: string, timezone: string, language: Language) =>
  once(`${startsAt} ${timezone} ${language}`, () => formatSessionTimeOnce(startsAt, timezone, language));

function formatSessionTimeOnce(startsAt: string, timezone: string, language: Language) {
  const date = new Date(startsAt);
  const locale = locales[language];
  const local = new Intl.DateTimeFormat(locale, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: timezone,
  }).format(date);
  const zoneName = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: "long" })
    .formatToParts(date)
    .find((part) => part.type === "timeZoneName")?.value;
  const utc = new Intl.DateTimeFormat(locale, {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(date);
  return { local: `${local} (${zoneName ?? timezone})`, utc: `${utc} UTC` };
}

export const sessionEnd = (startsAt: string, durationMinutes: number) =>
  new Date(new Date(startsAt).getTime() + durationMinutes * 60_000);
