import { emailOf, fullNameOf, yesNoOf } from "../cells.ts";
import { type ColumnIndexes, ColumnName, cellOf, locateColumns } from "../columns.ts";
import { localDateTimeReader } from "../dates.ts";
import { durationSecondsOf } from "../durations.ts";
import { UnreadableReportError } from "../errors.ts";
import type { FormatReader, Row, Visit } from "../types.ts";
import { cellsUnder, type DateReader } from "./cells-under.ts";

const emailLabels = [
  "Email",
  "E-mail",
  "Email address",
  "E-mail address",
  "Adresse e-mail",
  "Adresse électronique",
  "Courriel",
];

const columns = {
  email: new ColumnName([
    ...emailLabels,
    "Mail",
    "Adresse mail",
    "Adresse courriel",
    "User email",
    "Attendee email",
    "Participant email",
  ]),
  name: new ColumnName([
    "Name",
    "Full name",
    "Display name",
    "Nom complet",
    "Nom et prénom",
    "Participant",
    "Attendee",
  ]),
  firstName: new ColumnName(["First name", "Given name", "Prénom"]),
  lastName: new ColumnName(["Last name", "Surname", "Family name", "Nom de famille", "Nom"]),
  minutes: new ColumnName([
    "Minutes",
    "Duration",
    "Duration (minutes)",
    "Duration (min)",
    "Durée",
    "Durée (minutes)",
    "Durée (min)",
    "Temps",
    "Temps (minutes)",
    "Temps de connexion",
    "Time in session (minutes)",
    "Minutes attended",
    "Attended minutes",
    "Total minutes",
    "Attendance duration",
  ]),
  attended: new ColumnName([
    "Attended",
    "Present",
    "Présent",
    "Présente",
    "Présence",
    "Participé",
    "A participé",
  ]),
  join: new ColumnName(["Join time", "First join", "Arrivée", "Heure d'arrivée"]),
  leave: new ColumnName(["Leave time", "Last leave", "Départ", "Heure de départ"]),
};
type Column = keyof typeof columns;

/** How far down a header may sit under a title or a few lines of notes. */
const headerSearchDepth = 30;

/**
 * The fallback for any other platform or a list typed by hand: a table with an email column in
 * English or French, and optionally a minutes column and/or an attended yes/no column.
 */
export const generic: FormatReader = {
  format: "generic",
  columns: Object.values(columns),
  recognises: () => true,
  read(table) {
    const headerIndex = table.slice(0, headerSearchDepth).findIndex((row) => columns.email.isIn(row));
    const header = table[headerIndex];
    if (headerIndex < 0 || !header) {
      throw new UnreadableReportError(
        `no column with an email address (looked for: ${emailLabels.join(", ")})`,
      );
    }
    const block = { header, rows: table.slice(headerIndex + 1) };
    const dateOf = localDateTimeReader(cellsUnder([block], [columns.join, columns.leave]), "day-first");
    const at = locateColumns(header, columns);
    return block.rows.map((row) => visitOf(row, at, dateOf)).filter((visit) => visit.email || visit.name);
  },
};

function visitOf(row: Row, at: ColumnIndexes<Column>, dateOf: DateReader): Visit {
  return {
    email: emailOf(cellOf(row, at.email)),
    name:
      at.name === undefined
        ? fullNameOf(cellOf(row, at.firstName), cellOf(row, at.lastName))
        : cellOf(row, at.name),
    join: dateOf(cellOf(row, at.join)),
    leave: dateOf(cellOf(row, at.leave)),
    seconds: durationSecondsOf(cellOf(row, at.minutes)),
    attended: yesNoOf(cellOf(row, at.attended)),
  };
}
