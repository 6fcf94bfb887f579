import { createHash } from "node:crypto";
import { message } from "../bus/define-event.ts";
import { attendanceImported } from "../bus/events/attendance-imported.ts";
import { publishEvents } from "../bus/publish.ts";
import { NotFoundError, UnprocessableError } from "../domain/errors.ts";
import { getEvent } from "../events/event-store.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { allSessionRegistrations } from "../registrations/registration-store.ts";
import { type ImportSummary, readAttendance, readImport, replaceAttendance } from "./attendance-store.ts";
import { matchAttendance, unmatchedOf } from "./match-attendance.ts";
import { type AttendanceReport, parseAttendanceReport, UnreadableReportError } from "./parse/index.ts";

/**
 * Imports the attendance report of one session, as downloaded from the webinar platform.
 * 1. Reads the file (format recognised from its content); an unreadable file is a 422 and
 *    nothing is written.
 * 2. The same file again (same bytes) changes nothing and answers the same summary.
 * 3. Matches people to the session's registrations by email (any letter case); someone counts as
 *    having attended from the event's `attendanceMinMinutes` when the report gives their time,
 *    else by the report's own yes/no.
 * 4. Replaces the session's attendance records (batches of 25), keeping the unmatched people.
 * 5. Publishes `attendance.imported` with the counts.
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
  const previous = await readImport(eventId, sessionId);
  if (previous?.fileHash === fileHash) {
    return { ...previous.counts, unmatched: unmatchedOf(await readAttendance(eventId, sessionId)) };
  }

  const registrations = await allSessionRegistrations(eventId, sessionId);
  const { records, summary } = matchAttendance(report, registrations, event.attendanceMinMinutes);
  const { unmatched, ...counts } = summary;
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

function readReport(file: Buffer): AttendanceReport {
  try {
    return parseAttendanceReport(file);
  } catch (error) {
    if (error instanceof UnreadableReportError)
      throw new UnprocessableError("unreadable-report", error.message);
    throw error;
  }
}
