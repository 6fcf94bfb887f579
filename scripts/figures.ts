/**
 * The figures of `scripts/measure-*.ts`, printed one per line as `FIGURE {json}` after the
 * script's own human-readable output, so that `npm run bench` can run every script and gather
 * their figures into one table.
 */
export interface Figure {
  figure: string;
  /** The measured value, already formatted (e.g. `0.97`, `183 KB`). */
  value: string;
  goal: string;
  /** `null` for a figure printed for information, beside a goal row: it neither passes nor fails. */
  pass: boolean | null;
}

export const figureLinePrefix = "FIGURE ";

export function reportFigures(figures: readonly Figure[]): void {
  for (const figure of figures) console.log(`${figureLinePrefix}${JSON.stringify(figure)}`);
}

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
