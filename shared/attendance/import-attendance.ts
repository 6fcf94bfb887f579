import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { message } from "../bus/define-event.ts";
import { attendanceImported } from "../bus/events/attendance-imported.ts";
import { publishEvents } from "../bus/publish.ts";
import { NotFoundError, UnprocessableError } from "../domain/errors.ts";
import { getEvent } from "../events/event-store.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { allSessionRegistrations } from "../registrations/registration-store.ts";
import {
  type AttendanceRecord,
  type ImportItem,
  type ImportSummary,
  readAttendance,
  readImport,
  replaceAttendance,
} from "./attendance-store.ts";
import { matchAttendance } from "./match-attendance.ts";
import { type AttendanceReport, parseAttendanceReport, UnreadableReportError } from "./parse/index.ts";

/**
 * Imports the attendance report of one session, as downloaded from the webinar platform.
 * 1. Reads the file (format recognised from its content); an unreadable file is a 422 and
 *    nothing is written.
 * 2. Matches people to the session's registrations as they are now, by email (any letter case);
 *    someone counts as having attended from the event's current `attendanceMinMinutes` when the
 *    report gives their time, else by the report's own yes/no. The same file again is matched
 *    again too: since its first import the threshold may have changed and people may have
 *    registered, and the stats and the "attended"/"absent" mailings must follow.
 * 3. When that changes nothing (same file, same records, same counts) nothing is written nor
 *    published: uploading a file twice, or retrying an upload, publishes `attendance.imported`
 *    once. Otherwise it replaces the session's attendance records (batches of 25), never adding
 *    to them, so no import ever counts anyone twice.
 * 4. Publishes `attendance.imported` with the counts.
 */
export async function importAttendance(
  eventId: string,
  sessionId: string,
  file: Buffer,
  now = new Date(),
): Promise<ImportSummary> {
  const event = await getEvent(eventId);
  if (!event.sessions.some((session) => session.id === sessionId)) {
    throw new NotFoundError(`there is no session "${sessionId}" in the event "${eventId}"`);
  }
  const report = readReport(file);
  const fileHash = createHash("sha256").update(file).digest("hex");
  const [previous, registrations] = await Promise.all([
    readImport(eventId, sessionId),
    allSessionRegistrations(eventId, sessionId),
  ]);
  const stored = previous?.fileHash === fileHash ? await readAttendance(eventId, sessionId) : undefined;
  const { records, summary } = matchAttendance(
    report,
    registrations,
    event.attendanceMinMinutes,
    stored ? erasedSince(report, stored) : undefined,
  );
  const { unmatched, ...counts } = summary;
  if (previous && stored && sameImport(previous.counts, stored, counts, records)) return summary;
  await replaceAttendance(
    eventId,
    sessionId,
    records,
    { fileHash, counts, importedAt: now.toISOString() },
    expiresAtOf(event),
  );
  await publishEvents([
    message(attendanceImported, { eventId, sessionId, ...counts, unmatched: unmatched.length }),
  ]);
  return summary;
}

/**
 * The people of this same file that an erasure took out of its records since it was imported
 * (`shared/privacy/erase.ts` strips them by address): it wrote a record for everyone it lists but
 * the unregistered who never came, so an address of the file missing from the records is one of
 * those or someone erased. Either way, unless registered again, they get no record now, and an
 * erased person does not come back by the organiser uploading the same file again.
 */
function erasedSince(report: AttendanceReport, stored: readonly AttendanceRecord[]): Set<string> {
  const kept = new Set(stored.map((record) => record.email));
  return new Set(
    report.people.flatMap((person) => (person.email && !kept.has(person.email) ? [person.email] : [])),
  );
}

/** Whether a new import would write what the stored one holds (records compared as stored: no undefined fields). */
function sameImport(
  storedCounts: ImportItem["counts"],
  storedRecords: readonly AttendanceRecord[],
  counts: ImportItem["counts"],
  records: readonly AttendanceRecord[],
): boolean {
  return (
    isDeepStrictEqual(storedCounts, counts) &&
    isDeepStrictEqual(storedRecords, JSON.parse(JSON.stringify(records)) as unknown)
  );
}

function readReport(file: Buffer): AttendanceReport {
  try {
    return parseAttendanceReport(file);
  } catch (error) {
    if (error instanceof UnreadableReportError)
      throw new UnprocessableError("unreadable-report", error.message);
    throw error;
  }
}
