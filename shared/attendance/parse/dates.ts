import { isPlaceholder } from "./cells.ts";

/** How a report writes `05/07/19`: the organiser's locale decides, and the report does not say which. */
export type DateOrder = "day-first" | "month-first";

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const time = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([ap])\.?\s*m\.?)?`;
const numericDate = new RegExp(String.raw`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}),?\s+${time}$`, "i");
const isoDate = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:T|,?\s+)${time}$`, "i");
const monthFirstName = new RegExp(String.raw`^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+${time}$`, "i");
const dayFirstName = new RegExp(String.raw`^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4}),?\s+${time}$`, "i");
const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A reader of one report's date cells into local wall time (`2019-07-31T15:00:12`). The day/month
 * order of numeric dates is decided once from all of `samples` (the report's join and leave cells),
 * because a single `05/07/19` cannot tell: a first number above 12 means day first, a second above
 * 12 month first; failing that, AM/PM means the US order; failing that, the platform's `fallback`.
 */
export function localDateTimeReader(
  samples: Iterable<string>,
  fallback: DateOrder,
): (cell: string) => string | undefined {
  const order = dateOrderOf(samples, fallback);
  return (cell) => {
    if (isPlaceholder(cell)) return undefined;
    const wallTime = parseWallTime(cell.trim(), order);
    return wallTime && isValid(wallTime) ? format(wallTime) : undefined;
  };
}

/** Milliseconds of a wall time from `localDateTimeReader`, for differences only. */
export function wallTimeMs(wallTime: string): number {
  return Date.parse(`${wallTime}Z`);
}

const numericDayMonth = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2}/;
const meridiemAtEnd = /\d\s*[ap]\.?\s*m\.?\s*$/i;

export function dateOrderOf(samples: Iterable<string>, fallback: DateOrder): DateOrder {
  let dayFirst = 0;
  let monthFirst = 0;
  let meridiem = false;
  for (const sample of samples) {
    const match = numericDayMonth.exec(sample);
    if (!match) continue;
    if (Number(match[1]) > 12) dayFirst++;
    if (Number(match[2]) > 12) monthFirst++;
    meridiem ||= meridiemAtEnd.test(sample);
  }
  if (dayFirst !== monthFirst) return dayFirst > monthFirst ? "day-first" : "month-first";
  return meridiem ? "month-first" : fallback;
}

function parseWallTime(cell: string, order: DateOrder): WallTime | undefined {
  const numeric = numericDate.exec(cell);
  if (numeric) {
    const first = Number(numeric[1]);
    const second = Number(numeric[2]);
    const dayFirst = order === "day-first";
    return withTime(fullYear(numeric[3]), dayFirst ? second : first, dayFirst ? first : second, numeric, 4);
  }
  const iso = isoDate.exec(cell);
  if (iso) return withTime(Number(iso[1]), Number(iso[2]), Number(iso[3]), iso, 4);
  const named = monthFirstName.exec(cell);
  if (named) return withTime(Number(named[3]), monthOf(named[1]), Number(named[2]), named, 4);
  const dayNamed = dayFirstName.exec(cell);
  if (dayNamed) return withTime(Number(dayNamed[3]), monthOf(dayNamed[2]), Number(dayNamed[1]), dayNamed, 4);
  return undefined;
}

function fullYear(digits: string | undefined): number {
  const year = Number(digits);
  return digits?.length === 2 ? 2000 + year : year;
}

function monthOf(name: string | undefined): number {
  return months.indexOf(name?.slice(0, 3).toLowerCase() ?? "") + 1;
}

/** The wall time with the clock captured from `match[from]` on: hour, minute, second, a/p. */
function withTime(
  year: number,
  month: number,
  day: number,
  match: RegExpExecArray,
  from: number,
): WallTime | undefined {
  const meridiem = match[from + 3]?.toLowerCase();
  let hour = Number(match[from]);
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  return { year, month, day, hour, minute: Number(match[from + 1]), second: Number(match[from + 2] ?? 0) };
}

function isValid({ year, month, day, hour, minute, second }: WallTime): boolean {
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (monthDays[month - 1] ?? 0);
}

const pad = (value: number) => (value < 10 ? `0${value}` : String(value));

function format({ year, month, day, hour, minute, second }: WallTime): string {
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}
