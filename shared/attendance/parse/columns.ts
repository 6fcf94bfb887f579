/** A header row, as the table reader gives it (the `Row` of ./types.ts, which imports this module). */
type Row = readonly string[];

/**
 * A header label reduced to lowercase ASCII letters and digits, so that `E-mail`, `Email`,
 * `Adresse électronique` and `Duration (Minutes)` match however a platform or a locale spells them.
 */
export function normalizeLabel(label: string): string {
  const lower = label.toLowerCase();
  if (/^[\x20-\x7e]*$/.test(lower)) return lower.replace(/[^a-z0-9]/g, "");
  return lower
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]/g, "");
}

/**
 * A row's cells as labels. No label holds a digit or an `@`, so dates, durations and addresses,
 * most of every data row, are not worth normalizing: every format tests every row for a header.
 */
function labelsOf(row: Row): string[] {
  return row.map((cell) => (cell.length > 60 || /[\d@]/.test(cell) ? "" : normalizeLabel(cell)));
}

/** Header labels that mean one thing, in order of preference. */
export class ColumnName {
  readonly keys: readonly string[];
  constructor(readonly labels: readonly string[]) {
    this.keys = labels.map(normalizeLabel);
  }

  /** Where the column is in `header`, the earliest label of the list winning. */
  indexIn(header: Row): number | undefined {
    const normalized = labelsOf(header);
    for (const key of this.keys) {
      const index = normalized.indexOf(key);
      if (index >= 0) return index;
    }
    return undefined;
  }

  isIn(header: Row): boolean {
    return this.indexIn(header) !== undefined;
  }
}

export type ColumnIndexes<K extends string> = Partial<Record<K, number>>;

/** The position of each named column that `header` has. */
export function locateColumns<K extends string>(header: Row, names: Record<K, ColumnName>): ColumnIndexes<K> {
  const indexes: ColumnIndexes<K> = {};
  for (const key of Object.keys(names) as K[]) {
    const index = names[key].indexIn(header);
    if (index !== undefined) indexes[key] = index;
  }
  return indexes;
}

/** The trimmed cell, or "" for a column the header lacks or a short row. */
export function cellOf(row: Row, index: number | undefined): string {
  return index === undefined ? "" : (row[index] ?? "");
}

/** Whether a cell is one of the header labels of `names`, to tell a header from data. */
export function labelTest(names: Iterable<ColumnName>): (cell: string) => boolean {
  const keys = new Set([...names].flatMap((name) => name.keys));
  return (cell) => cell.length < 80 && keys.has(normalizeLabel(cell));
}
