import { stringify } from "csv-stringify/sync";
import { type ExportRow, exportColumns } from "./list-registrations.ts";
import { type CellValue, xlsxWorkbook } from "./xlsx-workbook.ts";

/**
 * The registrations as CSV: UTF-8 with a byte-order mark so spreadsheet programs show accents.
 * Booleans are written `true`/`false`: an empty `attended` cell means "no report imported yet",
 * never "did not attend".
 */
export function registrationsCsv(rows: readonly ExportRow[]): string {
  return stringify(rows as ExportRow[], {
    header: true,
    columns: [...exportColumns],
    bom: true,
    // A registrant named "=HYPERLINK(…)" must not run in the organiser's spreadsheet.
    escape_formulas: true,
    cast: { boolean: (value) => (value ? "true" : "false") },
  });
}

/** Cells of a workbook take real types: a date is a date, a boolean a boolean, minutes a number. */
function cellOf(column: (typeof exportColumns)[number], row: ExportRow): CellValue {
  const value = row[column];
  if (column === "createdAt" && typeof value === "string") return new Date(value);
  return value as CellValue;
}

/**
 * The registrations as an .xlsx workbook: one sheet, a frozen bold header row, filters on every
 * column, real booleans, numbers and dates; text cells are never formulas, so a name starting
 * with `=` stays text.
 */
export async function registrationsXlsx(rows: readonly ExportRow[], sheetName: string): Promise<Buffer> {
  return xlsxWorkbook({
    name: sheetName,
    header: exportColumns,
    rows: rows.map((row) => exportColumns.map((column) => cellOf(column, row))),
    widths: exportColumns.map((column) => Math.max(12, column.length + 2, column === "createdAt" ? 17 : 0)),
  });
}
