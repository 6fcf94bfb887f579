import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { type ExportRow, exportColumns } from "./list-registrations.ts";

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
function cellOf(column: (typeof exportColumns)[number], row: ExportRow): ExcelJS.CellValue {
  const value = row[column];
  if (value === undefined || value === null) return null;
  if (column === "createdAt" && typeof value === "string") return new Date(value);
  return value as ExcelJS.CellValue;
}

/**
 * The registrations as an .xlsx workbook (exceljs): one sheet, a frozen bold header row, filters on
 * every column, real booleans, numbers and dates. Text cells are never formulas in exceljs, so a
 * name starting with `=` stays text.
 */
export async function registrationsXlsx(rows: readonly ExportRow[], sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Convene";
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = exportColumns.map((column) => ({
    header: column,
    key: column,
    width: Math.max(12, column.length + 2),
    ...(column === "createdAt" && { style: { numFmt: "yyyy-mm-dd hh:mm" } }),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: exportColumns.length } };
  for (const row of rows) sheet.addRow(exportColumns.map((column) => cellOf(column, row)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
