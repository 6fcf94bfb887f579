import { emailOf, yesNoOf } from "../cells.ts";
import { type ColumnIndexes, ColumnName, cellOf, locateColumns } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import { durationSecondsOf } from "../durations.ts";
import { UnreadableReportError } from "../errors.ts";
import { staffRoleTest } from "../roles.ts";
import { findBlocks } from "../table.ts";
import type { FormatReader, Row, Visit } from "../types.ts";
import { cellsUnder, type DateReader } from "./cells-under.ts";

const columns = {
  name: new ColumnName(["Display Name", "Name", "Attendee Name", "Participant Name"]),
  email: new ColumnName(["Attendee Email", "Email", "Participant Email", "Email Address"]),
  join: new ColumnName(["Join Time"]),
  leave: new ColumnName(["Leave Time"]),
  duration: new ColumnName(["Attendance Duration", "Duration", "Duration (mins)", "Duration (minutes)"]),
  role: new ColumnName(["Role", "Attendee Role", "Participant Role"]),
  host: new ColumnName(["Host", "Is Host"]),
};
type Column = keyof typeof columns;

const webexOnly = new ColumnName(["Attendance Duration", "Attendee Email"]);
const connectionType = new ColumnName(["Connection Type"]);

/**
 * Webex's attendee report: one row per stay, durations in minutes or as `45 mins`. Hosts,
 * cohosts and panelists are flagged by a role column or a host yes/no column, when there is one.
 */
export const webex: FormatReader = {
  format: "webex",
  columns: [...Object.values(columns), connectionType],
  recognises: (table) =>
    table.some((row) => webexOnly.isIn(row) || (connectionType.isIn(row) && columns.join.isIn(row))),
  read(table) {
    const blocks = findBlocks(table, isHeader);
    if (blocks.length === 0)
      throw new UnreadableReportError("a Webex report without an attendee email column");
    const dateOf = localDateTimeReader(cellsUnder(blocks, [columns.join, columns.leave]), "month-first");
    const isStaff = staffRoleTest(cellsUnder(blocks, [columns.role]));
    return blocks.flatMap(({ header, rows }) => {
      const at = locateColumns(header, columns);
      return rows
        .filter((row) => !isStaff(cellOf(row, at.role)) && yesNoOf(cellOf(row, at.host)) !== true)
        .map((row) => visitOf(row, at, dateOf))
        .filter((visit) => visit.email || visit.name);
    });
  },
};

function isHeader(row: Row): boolean {
  return columns.email.isIn(row) && (columns.join.isIn(row) || columns.duration.isIn(row));
}

function visitOf(row: Row, at: ColumnIndexes<Column>, dateOf: DateReader): Visit {
  return {
    email: emailOf(cellOf(row, at.email)),
    name: cellOf(row, at.name),
    join: dateOf(cellOf(row, at.join)),
    leave: dateOf(cellOf(row, at.leave)),
    seconds: durationSecondsOf(cellOf(row, at.duration)),
  };
}
