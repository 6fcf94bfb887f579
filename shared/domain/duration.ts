/**
 * ISO 8601 durations as used for reminder offsets ("P7D", "P1D", "PT1H", "PT30M", "P1DT12H").
 * Years and months are refused on purpose: their length depends on the calendar, and a reminder
 * offset must mean the same number of minutes for every session.
 */
const durationPattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** The duration in milliseconds, or `undefined` when `text` is not a supported ISO 8601 duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = durationPattern.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const totalMs = ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  return totalMs > 0 ? totalMs : undefined;
}
