import { stringify } from "csv-stringify/sync";
import { type Language, languages } from "../domain/languages.ts";
import { answerText, eventLanguages, type Question } from "../domain/registration-form.ts";
import { type ExportRow, exportColumns } from "./list-registrations.ts";
import { type CellValue, xlsxWorkbook } from "./xlsx-workbook.ts";

/** What the export needs of the event: its questions, one column each, and the language of their choices. */
export interface ExportForm {
  questions: readonly Question[];
  language: Language;
  /** The sessions an organiser cancelled: their rows say so (`sessionCancelled`). */
  cancelledSessions?: ReadonlySet<string>;
}

/** The export's shape for an event: its questions, choice labels in its first language, its cancelled sessions. */
export const exportFormOf = (event: {
  title: Partial<Record<Language, string>>;
  form?: { questions: Question[] } | undefined;
  sessions?: readonly { id: string; cancelledAt?: string | undefined }[];
}): ExportForm => ({
  questions: event.form?.questions ?? [],
  language: eventLanguages(event.title)[0] ?? languages[0],
  cancelledSessions: new Set(
    (event.sessions ?? []).filter((session) => session.cancelledAt).map((session) => session.id),
  ),
});

/** An answer's cell: text as given, choices by their labels, yes/no as a boolean. */
function answerCell(question: Question, row: ExportRow, language: Language): CellValue {
  const answer = row.answers[question.id];
  if (typeof answer === "boolean") return answer;
  return answerText(question, answer, language, { yes: "true", no: "false" }) ?? null;
}

/** Cells of a workbook take real types: a date is a date, a boolean a boolean, minutes a number. */
function cellOf(column: (typeof exportColumns)[number], row: ExportRow): CellValue {
  const value = row[column];
  if (column === "createdAt" && typeof value === "string") return new Date(value);
  return value as CellValue;
}

/**
 * The header and the cells of every row: the standard columns, whether the row's session was
 * cancelled, then one column per question, named by its id.
 */
function table(rows: readonly ExportRow[], form: ExportForm) {
  const header = [...exportColumns, "sessionCancelled", ...form.questions.map((question) => question.id)];
  const cells = rows.map((row) => [
    ...exportColumns.map((column) => cellOf(column, row)),
    form.cancelledSessions?.has(row.sessionId) ?? false,
    ...form.questions.map((question) => answerCell(question, row, form.language)),
  ]);
  return { header, cells };
}

/**
 * The registrations as CSV: UTF-8 with a byte-order mark so spreadsheet programs show accents.
 * Booleans are written `true`/`false`: an empty `attended` cell means "no report imported yet",
 * never "did not attend".
 */
export function registrationsCsv(rows: readonly ExportRow[], form: ExportForm): string {
  const { header, cells } = table(rows, form);
  return stringify(
    cells.map((row) => row.map((cell) => (cell instanceof Date ? cell.toISOString() : cell))),
    {
      header: true,
      columns: header,
      bom: true,
      // A registrant named "=HYPERLINK(…)" must not run in the organiser's spreadsheet.
      escape_formulas: true,
      cast: { boolean: (value) => (value ? "true" : "false") },
    },
  );
}

/**
 * The registrations as an .xlsx workbook: one sheet, a frozen bold header row, filters on every
 * column, real booleans, numbers and dates; text cells are never formulas, so a name starting
 * with `=` stays text.
 */
export async function registrationsXlsx(
  rows: readonly ExportRow[],
  sheetName: string,
  form: ExportForm,
): Promise<Buffer> {
  const { header, cells } = table(rows, form);
  return xlsxWorkbook({
    name: sheetName,
    header,
    rows: cells,
    widths: header.map((column) => Math.max(12, column.length + 2, column === "createdAt" ? 17 : 0)),
  });
}
