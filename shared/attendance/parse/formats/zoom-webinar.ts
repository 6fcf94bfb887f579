import { emailOf, fullNameOf, originalNameOf, yesNoOf } from "../cells.ts";
import { type ColumnIndexes, ColumnName, cellOf, locateColumns, normalizeLabel } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import { durationSecondsOf } from "../durations.ts";
import { UnreadableReportError } from "../errors.ts";
import { type Block, findBlocks, splitSections } from "../table.ts";
import type { FormatReader, Row, Table, Visit } from "../types.ts";
import { cellsUnder, type DateReader } from "./cells-under.ts";

const columns = {
  attended: new ColumnName(["Attended"]),
  renamed: new ColumnName(["User Name (Original Name)", "Name (Original Name)"]),
  name: new ColumnName(["User Name", "Name", "Display Name"]),
  firstName: new ColumnName(["First Name"]),
  lastName: new ColumnName(["Last Name"]),
  email: new ColumnName(["Email", "User Email", "Email Address"]),
  join: new ColumnName(["Join Time"]),
  leave: new ColumnName(["Leave Time"]),
  minutes: new ColumnName(["Time in Session (minutes)", "Time in Session", "Duration (minutes)"]),
};
type Column = keyof typeof columns;

const timeInSession = new ColumnName(["Time in Session (minutes)", "Time in Session"]);
const titles = new Set(["Attendee Report", "Attendee Details"].map(normalizeLabel));
const staffSection = /host|panel|interpret/;

/**
 * Zoom's webinar "Attendee Report": a preamble, then one section per role (`Host Details`,
 * `Panelist Details`, `Attendee Details`, `Other Attended`), each with its own header. Hosts and
 * panelists run the webinar and are left out; a person who rejoined has one row per stay.
 */
export const zoomWebinar: FormatReader = {
  format: "zoom-webinar",
  columns: Object.values(columns),
  recognises: (table) =>
    table.some(
      (row) => (isTitle(row) && titles.has(normalizeLabel(row[0] ?? ""))) || timeInSession.isIn(row),
    ),
  read(table) {
    const blocks = attendeeBlocks(table);
    if (blocks.length === 0) {
      throw new UnreadableReportError(
        "a Zoom webinar report without an attendee table (Email and Join Time columns)",
      );
    }
    const dateOf = localDateTimeReader(cellsUnder(blocks, [columns.join, columns.leave]), "month-first");
    return blocks.flatMap((block) => visitsOf(block, dateOf));
  },
};

function isTitle(row: Row): boolean {
  return row.length === 1;
}

function isHeader(row: Row): boolean {
  return columns.email.isIn(row) && (columns.join.isIn(row) || columns.attended.isIn(row));
}

function attendeeBlocks(table: Table): Block[] {
  return splitSections(table, isTitle)
    .filter((section) => !staffSection.test(normalizeLabel(section.title ?? "")))
    .flatMap((section) => findBlocks(section.rows, isHeader));
}

function visitsOf({ header, rows }: Block, dateOf: DateReader): Visit[] {
  const at = locateColumns(header, columns);
  return rows.map((row) => visitOf(row, at, dateOf)).filter((visit) => visit.email || visit.name);
}

function visitOf(row: Row, at: ColumnIndexes<Column>, dateOf: DateReader): Visit {
  return {
    email: emailOf(cellOf(row, at.email)),
    name: nameOf(row, at),
    join: dateOf(cellOf(row, at.join)),
    leave: dateOf(cellOf(row, at.leave)),
    seconds: durationSecondsOf(cellOf(row, at.minutes)),
    attended: yesNoOf(cellOf(row, at.attended)),
  };
}

function nameOf(row: Row, at: ColumnIndexes<Column>): string {
  if (at.renamed !== undefined) return originalNameOf(cellOf(row, at.renamed));
  if (at.name !== undefined) return cellOf(row, at.name);
  return fullNameOf(cellOf(row, at.firstName), cellOf(row, at.lastName));
}
