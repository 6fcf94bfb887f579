import { decodeReport } from "./decode.ts";
import { isKnownLabel, readerFor } from "./detect.ts";
import { collectPeople } from "./people.ts";
import { readTable } from "./table.ts";
import type { AttendanceReport } from "./types.ts";

export { UnreadableReportError } from "./errors.ts";
export type {
  AttendanceFormat,
  AttendancePerson,
  AttendanceReport,
  AttendanceSegment,
} from "./types.ts";

/**
 * Reads an attendance report exactly as the organiser downloaded it from the webinar platform.
 * Steps: decode (UTF-8, UTF-16 or Windows-1252), parse as CSV with the delimiter that fits,
 * recognise the platform from the content, read its attendee rows (leaving out hosts, panelists
 * and organizers), then merge the rows of each person. Pure: no I/O, no clock.
 *
 * @throws {UnreadableReportError} for a PDF, a binary or empty file, or a table without emails.
 */
export function parseAttendanceReport(bytes: Uint8Array): AttendanceReport {
  const table = readTable(decodeReport(bytes), isKnownLabel);
  const reader = readerFor(table);
  const visits = reader.read(table);
  return { format: reader.format, rows: visits.length, people: collectPeople(visits) };
}
