import { ColumnName, cellOf, locateColumns, normalizeLabel } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import type { Block } from "../table.ts";
import type { Row, Visit } from "../types.ts";
import { cellsUnder } from "./cells-under.ts";

const columns = {
  name: new ColumnName(["Full Name"]),
  action: new ColumnName(["User Action"]),
  time: new ColumnName(["Timestamp"]),
};

export const legacyTeamsColumns = Object.values(columns);

/** The attendance list Teams downloaded before 2021: one row per join or leave event. */
export function isLegacyTeamsHeader(row: Row): boolean {
  return columns.name.isIn(row) && columns.action.isIn(row) && columns.time.isIn(row);
}

/**
 * Pairs each `Joined` (or `Joined before`) with the same person's next `Left`. Someone still in the
 * meeting when the list was downloaded stays until the last event of the list. This list has no
 * email and no role, so people are known by name and the organizer cannot be told apart.
 */
export function legacyTeamsVisits(block: Block): Visit[] {
  const at = locateColumns(block.header, columns);
  const dateOf = localDateTimeReader(cellsUnder([block], [columns.time]), "day-first");
  const joined = new Map<string, string>();
  const visits: Visit[] = [];
  let last: string | undefined;
  for (const row of block.rows) {
    const name = cellOf(row, at.name);
    const action = normalizeLabel(cellOf(row, at.action));
    const time = dateOf(cellOf(row, at.time));
    if (!name || !time) continue;
    last = time;
    if (action.startsWith("joined") && !joined.has(name)) joined.set(name, time);
    if (action === "left" && joined.has(name)) {
      visits.push({ name, join: joined.get(name), leave: time });
      joined.delete(name);
    }
  }
  for (const [name, join] of joined) visits.push({ name, join, leave: last });
  return visits;
}
