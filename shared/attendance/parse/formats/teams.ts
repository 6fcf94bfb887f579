import { emailOf } from "../cells.ts";
import { type ColumnIndexes, ColumnName, cellOf, locateColumns, normalizeLabel } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import { durationSecondsOf } from "../durations.ts";
import { UnreadableReportError } from "../errors.ts";
import { staffRoleTest } from "../roles.ts";
import { type Block, findBlocks, splitSections } from "../table.ts";
import type { FormatReader, Row, Table, Visit } from "../types.ts";
import { cellsUnder, type DateReader } from "./cells-under.ts";
import { isLegacyTeamsHeader, legacyTeamsColumns, legacyTeamsVisits } from "./teams-legacy.ts";

const person = {
  name: new ColumnName(["Name", "Full Name", "Participant"]),
  email: new ColumnName(["Email"]),
  upn: new ColumnName(["Participant ID (UPN)", "UPN", "Participant ID"]),
  role: new ColumnName(["Role"]),
};

const participantColumns = {
  ...person,
  join: new ColumnName(["First Join", "First Join Time"]),
  leave: new ColumnName(["Last Leave", "Last Leave Time"]),
  duration: new ColumnName(["In-Meeting Duration", "Duration", "Attendance Duration"]),
};

const activityColumns = {
  ...person,
  join: new ColumnName(["Join Time"]),
  leave: new ColumnName(["Leave Time"]),
  duration: new ColumnName(["Duration", "In-Meeting Duration"]),
};
type Column = keyof typeof activityColumns;

const sectionNames = new Set(["Summary", "Participants", "In-meeting activities"].map(normalizeLabel));
const teamsOnly = new ColumnName(["Participant ID (UPN)", "In-Meeting Duration"]);

interface PersonInfo {
  email?: string;
  role: string;
}

/**
 * Microsoft Teams' attendance report: UTF-16, tab-separated, numbered sections (`1. Summary`,
 * `2. Participants` with one row per person, `3. In-meeting activities` with one row per stay).
 * Stays are read from the activities when the report has them, else from the participants' totals.
 * The `Email` column is preferred to the UPN, which for guests is an address in another tenant.
 */
export const teams: FormatReader = {
  format: "teams",
  columns: [...Object.values(participantColumns), ...Object.values(activityColumns), ...legacyTeamsColumns],
  recognises: (table) =>
    table.some((row) => isNumberedSection(row) || teamsOnly.isIn(row) || isLegacyTeamsHeader(row)),
  read(table) {
    const blocks = splitSections(table, isTitle).flatMap((section) => findBlocks(section.rows, isHeader));
    return blocks.length === 0 ? legacyOrUnreadable(table) : attendeeStays(blocks);
  },
};

function attendeeStays(blocks: readonly Block[]): Visit[] {
  const activities = blocks.filter((block) => isActivitiesHeader(block.header));
  const participants = blocks.filter((block) => !isActivitiesHeader(block.header));
  const dateOf = localDateTimeReader(
    [
      ...cellsUnder(participants, [participantColumns.join, participantColumns.leave]),
      ...cellsUnder(activities, [activityColumns.join, activityColumns.leave]),
    ],
    "day-first",
  );
  const known = peopleByName(participants);
  const isStaff = staffRoleTest(cellsUnder(blocks, [person.role]));
  const stays = activities.some((block) => block.rows.length > 0)
    ? activities.flatMap((block) => staysOf(block, activityColumns, dateOf, known))
    : participants.flatMap((block) => staysOf(block, participantColumns, dateOf, known));
  return stays.filter(({ role }) => !isStaff(role)).map(({ visit }) => visit);
}

function isTitle(row: Row): boolean {
  return row.length === 1 && /^\d+\.\s*\S/.test(row[0] ?? "");
}

function isNumberedSection(row: Row): boolean {
  return isTitle(row) && sectionNames.has(normalizeLabel((row[0] ?? "").replace(/^\d+\./, "")));
}

function isHeader(row: Row): boolean {
  return person.name.isIn(row) && (participantColumns.join.isIn(row) || activityColumns.join.isIn(row));
}

function isActivitiesHeader(row: Row): boolean {
  return activityColumns.join.isIn(row) && !participantColumns.join.isIn(row);
}

function legacyOrUnreadable(table: Table): Visit[] {
  const [legacy] = findBlocks(table, isLegacyTeamsHeader);
  if (!legacy) throw new UnreadableReportError("a Teams attendance report without its Participants section");
  return legacyTeamsVisits(legacy);
}

function peopleByName(participants: readonly Block[]): Map<string, PersonInfo> {
  const known = new Map<string, PersonInfo>();
  for (const { header, rows } of participants) {
    const at = locateColumns(header, person);
    for (const row of rows) {
      const email = emailOf(cellOf(row, at.email)) ?? emailOf(cellOf(row, at.upn));
      known.set(cellOf(row, at.name), { ...(email ? { email } : {}), role: cellOf(row, at.role) });
    }
  }
  return known;
}

function staysOf(
  { header, rows }: Block,
  names: typeof activityColumns,
  dateOf: DateReader,
  known: ReadonlyMap<string, PersonInfo>,
): { visit: Visit; role: string }[] {
  const at = locateColumns(header, names);
  return rows.map((row) => stayOf(row, at, dateOf, known.get(cellOf(row, at.name))));
}

function stayOf(
  row: Row,
  at: ColumnIndexes<Column>,
  dateOf: DateReader,
  known: PersonInfo | undefined,
): { visit: Visit; role: string } {
  const visit: Visit = {
    email: emailOf(cellOf(row, at.email)) ?? emailOf(cellOf(row, at.upn)) ?? known?.email,
    name: cellOf(row, at.name),
    join: dateOf(cellOf(row, at.join)),
    leave: dateOf(cellOf(row, at.leave)),
    seconds: durationSecondsOf(cellOf(row, at.duration)),
  };
  return { visit, role: cellOf(row, at.role) || (known?.role ?? "") };
}
