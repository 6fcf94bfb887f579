import { builtOnce } from "../domain/built-once.ts";
import { type Language, locales } from "../domain/languages.ts";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** Texts by what they say and their language: a handful of keys (offsets, durations). */
const once = builtOnce<string>();

/**
 * How far away a session is, from a reminder's offset: "in 1 hour", "tomorrow", "in 7 days" (and
 * "dans 1 heure", "demain", "dans 7 jours"). Uses the largest unit the offset is a whole number of,
 * so PT1H stays "in 1 hour" and P1DT12H reads "in 36 hours", never a rounded "in 2 days".
 */
export const formatStartsIn = (offsetMs: number, language: Language): string =>
  once(`starts-in ${offsetMs} ${language}`, () => formatStartsInOnce(offsetMs, language));

function formatStartsInOnce(offsetMs: number, language: Language): string {
  const relative = new Intl.RelativeTimeFormat(locales[language], { numeric: "auto" });
  if (offsetMs >= dayMs && offsetMs % dayMs === 0) return relative.format(offsetMs / dayMs, "day");
  if (offsetMs >= hourMs && offsetMs % hourMs === 0) return relative.format(offsetMs / hourMs, "hour");
  return relative.format(Math.round(offsetMs / minuteMs), "minute");
}

/** A session's length in words ("1 hour 30 minutes", "1 heure 30 minutes"), by Intl for any language. */
export const formatDuration = (minutes: number, language: Language): string =>
  once(`duration ${minutes} ${language}`, () => formatDurationOnce(minutes, language));

function formatDurationOnce(minutes: number, language: Language): string {
  const unit = (value: number, name: "hour" | "minute") =>
    new Intl.NumberFormat(locales[language], { style: "unit", unit: name, unitDisplay: "long" }).format(
      value,
    );
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [...(hours > 0 ? [unit(hours, "hour")] : []), ...(rest > 0 ? [unit(rest, "minute")] : [])];
  return new Intl.ListFormat(locales[language], { type: "unit", style: "narrow" }).format(parts);
}
