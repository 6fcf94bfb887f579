import { emailOf, originalNameOf } from "../cells.ts";
import { type ColumnIndexes, ColumnName, cellOf, locateColumns } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import { durationSecondsOf } from "../durations.ts";
import { UnreadableReportError } from "../errors.ts";
import { type Block, findBlocks } from "../table.ts";
import type { FormatReader, Row, Table, Visit } from "../types.ts";
import { cellsUnder, type DateReader } from "./cells-under.ts";

const columns = {
  renamed: new ColumnName(["Name (Original Name)"]),
  name: new ColumnName(["Name", "User Name", "Participant"]),
  email: new ColumnName(["User Email", "Email"]),
  join: new ColumnName(["Join Time"]),
  leave: new ColumnName(["Leave Time"]),
  minutes: new ColumnName(["Duration (Minutes)", "Total Duration (Minutes)"]),
  guest: new ColumnName(["Guest"]),
};
type Column = keyof typeof columns;

const summary = {
  marker: new ColumnName(["Meeting ID", "Topic"]),
  hostEmail: new ColumnName(["User Email", "Host Email"]),
  hostName: new ColumnName(["Host", "Host Name"]),
};

interface Host {
  email?: string;
  name?: string;
}

/**
 * Zoom's meeting "Participants" export, old headers (`Name (Original Name)`, `User Email`) or new
 * (`Name (original name)`, `Email`), with or without the meeting summary above it. The export has
 * no role column; the summary, when present, names the host, who is left out.
 */
export const zoomMeeting: FormatReader = {
  format: "zoom-meeting",
  columns: [...Object.values(columns), ...Object.values(summary)],
  recognises: (table) => table.some(isHeader),
  read(table) {
    const blocks = findBlocks(table, isHeader);
    if (blocks.length === 0)
      throw new UnreadableReportError("a Zoom meeting export without its participant table");
    const dateOf = localDateTimeReader(cellsUnder(blocks, [columns.join, columns.leave]), "month-first");
    const host = hostOf(table);
    return blocks.flatMap((block) => visitsOf(block, dateOf)).filter((visit) => !isHost(visit, host));
  },
};

function isHeader(row: Row): boolean {
  const timed = columns.minutes.isIn(row) && (columns.renamed.isIn(row) || columns.guest.isIn(row));
  return timed && !summary.marker.isIn(row);
}

function hostOf(table: Table): Host {
  const [block] = findBlocks(table, (row) => summary.marker.isIn(row) && !isHeader(row));
  const values = block?.rows[0];
  if (!block || !values) return {};
  return {
    email: emailOf(cellOf(values, summary.hostEmail.indexIn(block.header))),
    name: cellOf(values, summary.hostName.indexIn(block.header)) || undefined,
  };
}

function isHost(visit: Visit, host: Host): boolean {
  if (host.email) return visit.email === host.email;
  return host.name !== undefined && visit.name === host.name;
}

function visitsOf({ header, rows }: Block, dateOf: DateReader): Visit[] {
  const at = locateColumns(header, columns);
  return rows.map((row) => visitOf(row, at, dateOf)).filter((visit) => visit.email || visit.name);
}

function visitOf(row: Row, at: ColumnIndexes<Column>, dateOf: DateReader): Visit {
  const name = at.renamed === undefined ? cellOf(row, at.name) : originalNameOf(cellOf(row, at.renamed));
  return {
    email: emailOf(cellOf(row, at.email)),
    name,
    join: dateOf(cellOf(row, at.join)),
    leave: dateOf(cellOf(row, at.leave)),
    seconds: durationSecondsOf(cellOf(row, at.minutes)),
  };
}
