import { isPlaceholder } from "./cells.ts";

const unitSeconds: Record<string, number> = {
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  heure: 3600,
  heures: 3600,
  m: 60,
  mn: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  seconde: 1,
  secondes: 1,
};

const number = String.raw`\d+(?:[.,]\d+)?`;
const plainMinutes = new RegExp(`^${number}$`);
const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/;
const unitPart = new RegExp(String.raw`(${number})\s*([a-z]+)`, "gi");

/**
 * Seconds in a duration cell as platforms write them: minutes as a bare number (Zoom, a generic
 * `Minutes` column, `45,5` from a French spreadsheet), units (Teams' `1h 21m 3s`, Webex's
 * `1 hr 5 mins`) or a clock (`01:21:03`, hours first). Undefined for `--`, blanks and anything else.
 */
export function durationSecondsOf(cell: string): number | undefined {
  const text = cell.trim().toLowerCase();
  if (isPlaceholder(text)) return undefined;
  if (plainMinutes.test(text)) return toNumber(text) * 60;
  const onClock = clock.exec(text);
  if (onClock) return Number(onClock[1]) * 3600 + Number(onClock[2]) * 60 + Number(onClock[3] ?? 0);
  return withUnits(text);
}

function withUnits(text: string): number | undefined {
  let seconds = 0;
  let rest = text;
  for (const [part, amount, unit] of text.matchAll(unitPart)) {
    const perUnit = unitSeconds[unit ?? ""];
    if (perUnit === undefined) return undefined;
    seconds += toNumber(amount ?? "") * perUnit;
    rest = rest.replace(part, " ");
  }
  const leftOver = rest.replace(/\b(?:and|et)\b|,/g, "").trim();
  return leftOver === "" && rest !== text ? seconds : undefined;
}

function toNumber(text: string): number {
  return Number(text.replace(",", "."));
}
