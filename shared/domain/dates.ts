import { type Language, locales } from "./languages.ts";

/**
 * Formatted times by session start, zone and language. Building three `Intl.DateTimeFormat`s
 * takes about a millisecond of CPU, once per mail of a mailing or reminder for the same few
 * sessions; a process sees few distinct keys, and the map is emptied if it ever holds many.
 */
const formatted = new Map<string, { local: string; utc: string }>();

/**
 * A session's start as registrants read it: in the session's own time zone (where the organisers
 * are) and in UTC (which everyone can convert), in the registrant's language.
 */
export function formatSessionTime(startsAt: string, timezone: string, language: Language) {
  const key = `${startsAt} ${timezone} ${language}`;
  const known = formatted.get(key);
  if (known) return known;
  if (formatted.size >= 1_000) formatted.clear();
  const result = formatSessionTimeOnce(startsAt, timezone, language);
  formatted.set(key, result);
  return result;
}

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
