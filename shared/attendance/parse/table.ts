import { CsvError, parse } from "csv-parse/sync";
import { UnreadableReportError } from "./errors.ts";
import type { Row, Table } from "./types.ts";

const delimiters = [",", ";", "\t"] as const;
type Delimiter = (typeof delimiters)[number];

/** Enough lines to get past Zoom's and Teams' preambles into the first table. */
const sampleLines = 60;

/**
 * The report as records of trimmed cells. Trailing empty cells (Zoom pads every row to the widest
 * section) and blank records are dropped, so a section title is a one-cell record.
 * `isLabel` recognises header labels, which decide the delimiter (see `detectDelimiter`).
 */
export function readTable(text: string, isLabel: (cell: string) => boolean): Table {
  const delimiter = detectDelimiter(text, isLabel);
  try {
    return tidy(parseRecords(text, delimiter));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new UnreadableReportError(`the file is not a readable table (${error.message})`, { cause: error });
  }
}

function parseRecords(text: string, delimiter: Delimiter, toLine?: number): string[][] {
  return parse(text, {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    ...(toLine === undefined ? {} : { to_line: toLine }),
  });
}

function tidy(records: string[][]): Table {
  const rows: Row[] = [];
  for (const cells of records) {
    cells.forEach((cell, index) => {
      cells[index] = cell.trim();
    });
    while (cells.length > 0 && cells.at(-1) === "") cells.pop();
    if (cells.length > 0) rows.push(cells);
  }
  return rows;
}

interface Fit {
  labels: number;
  count: number;
  width: number;
}

/**
 * The delimiter under which the first records show the most known header labels. Counting how
 * regularly records split is not enough: Teams' US dates (`3/7/24, 3:00:12 PM`) give a tab file
 * two commas on every row. Files without a known label fall back to the most common record width
 * of two cells or more, ties going to the wider table.
 */
function detectDelimiter(text: string, isLabel: (cell: string) => boolean): Delimiter {
  let best: { delimiter: Delimiter; fit: Fit } | undefined;
  for (const delimiter of delimiters) {
    const rows = sample(text, delimiter);
    const fit = { labels: rows.flat().filter(isLabel).length, ...commonWidth(rows) };
    if (!best || fitsBetter(fit, best.fit)) best = { delimiter, fit };
  }
  return best?.delimiter ?? ",";
}

function fitsBetter(fit: Fit, than: Fit): boolean {
  if (fit.labels !== than.labels) return fit.labels > than.labels;
  if (fit.count !== than.count) return fit.count > than.count;
  return fit.width > than.width;
}

function sample(text: string, delimiter: Delimiter): Table {
  try {
    return tidy(parseRecords(text, delimiter, sampleLines));
  } catch (error) {
    if (error instanceof CsvError) return [];
    throw error;
  }
}

function commonWidth(rows: Table): { count: number; width: number } {
  const counts = new Map<number, number>();
  for (const row of rows) {
    if (row.length > 1) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
  }
  let best = { count: 0, width: 0 };
  for (const [width, count] of counts) {
    if (count > best.count || (count === best.count && width > best.width)) best = { count, width };
  }
  return best;
}

/** A run of records under a title (`Attendee Details`, `2. Participants`), or before any title. */
export interface Section {
  title?: string;
  rows: Table;
}

/** Splits the table at the records that `isTitle` picks; records before the first title form an untitled section. */
export function splitSections(table: Table, isTitle: (row: Row) => boolean): Section[] {
  const sections: { title?: string; rows: Row[] }[] = [{ rows: [] }];
  for (const row of table) {
    if (isTitle(row)) sections.push({ title: row[0] ?? "", rows: [] });
    else sections.at(-1)?.rows.push(row);
  }
  return sections.filter((section) => section.title !== undefined || section.rows.length > 0);
}

/** A header row and the records under it. */
export interface Block {
  header: Row;
  rows: Table;
}

/**
 * Each record that `isHeader` accepts opens a block holding the records up to the next header;
 * records before the first header (a preamble) belong to no block.
 */
export function findBlocks(rows: Table, isHeader: (row: Row) => boolean): Block[] {
  const blocks: { header: Row; rows: Row[] }[] = [];
  for (const row of rows) {
    if (isHeader(row)) blocks.push({ header: row, rows: [] });
    else blocks.at(-1)?.rows.push(row);
  }
  return blocks;
}
