import { parseDurationMs } from "#shared/domain/duration";
import { currentLocale } from "./i18n.ts";

/** A date and time with its time zone named, as the organiser reads it ("4 March 2027, 10:00 CET"). */
export function formatDateTime(iso: string, timeZone = "UTC"): string {
  // dateStyle and timeStyle cannot be combined with timeZoneName: the parts are spelled out.
  return new Intl.DateTimeFormat(currentLocale(), {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(iso));
}

export const formatNumber = (value: number) => new Intl.NumberFormat(currentLocale()).format(value);

export const formatPercent = (value: number) =>
  new Intl.NumberFormat(currentLocale(), { style: "percent", maximumFractionDigits: 1 }).format(value);

/** A country's name in the console's language, from its ISO code. */
export function countryName(code: string): string {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([currentLocale()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Milliseconds a time zone is ahead of UTC at an instant. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The `datetime-local` value ("2027-03-04T10:00") of an instant on the clocks of a time zone. */
export function toZonedInput(iso: string, timeZone: string): string {
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return "";
  return new Date(instant + offsetMs(instant, timeZone)).toISOString().slice(0, 16);
}

/**
 * The instant (ISO 8601, UTC) at which the clocks of a time zone show a `datetime-local` value:
 * the session's start is typed as the organisers read it where the session is held.
 */
export function fromZonedInput(local: string, timeZone: string): string {
  const wall = new Date(`${local}:00Z`).getTime();
  if (Number.isNaN(wall)) return local;
  // Twice: the offset at the first guess may differ from the offset at the answer (DST changes).
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Every IANA zone the browser knows, UTC included (some browsers leave it out of the list). */
export const timeZones: readonly string[] = [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])];

/**
 * A reminder offset as words ("1 day", "2 hours and 30 minutes", "1 jour"), from its ISO 8601
 * duration ("P1D", "PT2H30M"); the duration itself when it is not one.
 */
export function formatDuration(iso: string): string {
  const totalMs = parseDurationMs(iso);
  if (totalMs === undefined) return iso;
  const units = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ] as const;
  let restMs = totalMs;
  const parts = units.flatMap(([unit, unitMs]) => {
    const count = Math.floor(restMs / unitMs);
    restMs -= count * unitMs;
    return count === 0
      ? []
      : [new Intl.NumberFormat(currentLocale(), { style: "unit", unit, unitDisplay: "long" }).format(count)];
  });
  return new Intl.ListFormat(currentLocale(), { type: "conjunction" }).format(parts);
}

/** A time of day with its time zone named ("10:15 CET"), for times within a day already shown. */
export function formatTime(iso: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(iso));
}
