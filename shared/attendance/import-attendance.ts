import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { message } from "../bus/define-event.ts";
import { attendanceImported } from "../bus/events/attendance-imported.ts";
import { ConflictError, NotFoundError, UnprocessableError } from "../domain/errors.ts";
import { getEvent } from "../events/event-store.ts";
import { erasedAmong } from "../privacy/erased-addresses.ts";
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
 *    nothing is written. Past the event's retention end it is a 409: the registrations it would
 *    be matched to are deleted, and so are the marks that keep erased people out.
 * 2. Matches people to the session's registrations as they are now, by email (any letter case);
 *    someone counts as having attended from the event's current `attendanceMinMinutes` when the
 *    report gives their time, else by the report's own yes/no. The same file again is matched
 *    again too: since its first import the threshold may have changed and people may have
 *    registered, and the stats and the "attended"/"absent" mailings must follow. People erased
 *    from the event are left out unless registered again, whichever file names them
 *    (`shared/privacy/erased-addresses.ts`).
 * 3. When that changes nothing (same file, same records, same counts) nothing is written nor
 *    announced. Otherwise it replaces the session's attendance records (batches of 25), never
 *    adding to them, so no import ever counts anyone twice.
 * 4. Announces `attendance.imported` with the counts, through the outbox, once per distinct
 *    result: a retried upload running beside the first announces nothing twice
 *    (`replaceAttendance`).
 * 5. Starts again if someone of the report was erased while it ran (below).
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
  const expiresAt = expiresAtOf(event);
  if (expiresAt * 1000 <= now.getTime()) {
    throw new ConflictError(
      "retention-ended",
      `the data of the event "${eventId}" was kept until ${new Date(expiresAt * 1000).toISOString()} (its retentionDays): its attendance can no longer be imported`,
    );
  }
  const report = readReport(file);
  const fileHash = createHash("sha256").update(file).digest("hex");
  const emails = report.people.flatMap((person) => (person.email ? [person.email] : []));
  const [previous, registrations, erased] = await Promise.all([
    readImport(eventId, sessionId),
    allSessionRegistrations(eventId, sessionId),
    erasedAmong(eventId, emails),
  ]);
  const stored = previous?.fileHash === fileHash ? await readAttendance(eventId, sessionId) : undefined;
  const match = (left: ReadonlySet<string>) =>
    matchAttendance(report, registrations, event.attendanceMinMinutes, left);
  let { records, summary } = match(erased);
  // People erased before erasures left marks (or by an erasure still running then) are known only
  // by their absence from the stored records of the same file: left out as the marked ones are
  // (unless registered again).
  const gone = stored ? absentFrom(stored, records) : [];
  if (gone.length > 0) ({ records, summary } = match(new Set([...erased, ...gone])));
  const { unmatched, ...counts } = summary;
  if (previous && stored && sameImport(previous.counts, stored, counts, records)) return summary;
  await replaceAttendance(
    eventId,
    sessionId,
    records,
    { fileHash, counts, importedAt: now.toISOString() },
    expiresAt,
    {
      message: message(attendanceImported, { eventId, sessionId, ...counts, unmatched: unmatched.length }),
      // What the import stored and its consumers are told: the same result, the same digest.
      result: createHash("sha256").update(JSON.stringify({ counts, records })).digest("base64url"),
    },
    now,
  );
  // Someone of the report erased meanwhile: an erasure writes its mark (step 1) before it takes
  // them out of the attendance pages (step 2), so a mark that is here now and was not at the reads
  // above may belong to an erasure whose step 2 ran before these pages were written, and they
  // would name that person again. Matched again, they are left out. A mark written after this
  // read has its step 2 still to come, which takes them out of these pages itself.
  if ((await erasedAmong(eventId, emails)).size > erased.size) {
    try {
      return await importAttendance(eventId, sessionId, file, now);
    } catch (error) {
      // Another upload took the session meanwhile: it reads the marks itself, and is the import
      // now (the last upload wins); this answer is the first pass's, as its pages were.
      if (error instanceof ConflictError && error.code === "import-running") return summary;
      throw error;
    }
  }
  return summary;
}

/** The addresses of new records that the stored records (of the same file) do not hold: erased since. */
function absentFrom(stored: readonly AttendanceRecord[], records: readonly AttendanceRecord[]): string[] {
  const kept = new Set(stored.map((record) => record.email));
  return records.flatMap((record) => (record.email && !kept.has(record.email) ? [record.email] : []));
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
