import { type ColumnName, cellOf } from "../columns.ts";
import type { Block } from "../table.ts";

/** Turns a date cell into local wall time, or undefined for `--` and blanks. */
export type DateReader = (cell: string) => string | undefined;

/** Every cell of the named columns across blocks: the samples a report's date order is decided from. */
export function cellsUnder(blocks: readonly Block[], names: readonly ColumnName[]): string[] {
  return blocks.flatMap(({ header, rows }) => {
    const indexes = names.map((name) => name.indexIn(header));
    return rows.flatMap((row) => indexes.map((index) => cellOf(row, index)));
  });
}
