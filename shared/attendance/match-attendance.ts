import { normalizeEmail, type Registration } from "../domain/registration.ts";
import type { AttendanceRecord, ImportSummary } from "./attendance-store.ts";
import type { AttendancePerson, AttendanceReport } from "./parse/index.ts";

/** The people present but not registered: the records without a registration, never dropped. */
export const unmatchedOf = (records: readonly AttendanceRecord[]): ImportSummary["unmatched"] =>
  records
    .filter((record) => !record.registrationId)
    .map((record) => ({ email: record.email ?? "", name: record.name, minutes: record.minutes }));

/**
 * Whether the report has the person joining at all. Zoom lists the webinar's own registrants who
 * never came (`No`, `--` minutes) and a typed list may give someone 0 minutes: those were not
 * present. A person the report gives neither a time nor a yes/no for (a bare list of emails) is
 * taken as listed because they came.
 */
const joined = (person: AttendancePerson): boolean =>
  person.minutes > 0 ||
  person.attended === true ||
  (person.segments.length === 0 && person.attended === undefined);

/**
 * The attendance records and counts of a report against the session's registrations: matched
 * (people of the report who registered, whatever their status), attended (matched and over the
 * threshold), absent (confirmed but not attended), unmatched (present but not registered, never
 * dropped). A registrant's record is kept whatever the report says of them (it is their
 * "absent"); someone neither registered nor present gets no record at all.
 * `erased`: addresses of the report erased from the event (`shared/privacy/erased-addresses.ts`).
 * Unless registered again, such a person is left out altogether, of the records and of every
 * count: the summary names no one erased and counts nobody the lists do not show. A cancelled
 * registration does not count as registered again: an erasure in progress has left its
 * registration cancelled until its last step.
 */
export function matchAttendance(
  report: AttendanceReport,
  registrations: readonly Registration[],
  minMinutes: number,
  erased: ReadonlySet<string> = new Set(),
): { records: AttendanceRecord[]; summary: ImportSummary } {
  const byEmail = new Map(
    registrations.map((registration) => [normalizeEmail(registration.email), registration]),
  );
  const registeredAgain = (email: string) => {
    const status = byEmail.get(email)?.status;
    return status !== undefined && status !== "cancelled";
  };
  const people = report.people.filter(
    (person) => !person.email || !erased.has(person.email) || registeredAgain(person.email),
  );
  const records: AttendanceRecord[] = people.flatMap((person) => {
    const registrationId = person.email ? byEmail.get(person.email)?.registrationId : undefined;
    if (!registrationId && !joined(person)) return [];
    return [
      {
        email: person.email,
        name: person.name,
        minutes: Math.round(person.minutes * 100) / 100,
        firstJoin: person.firstJoin,
        lastLeave: person.lastLeave,
        // Minutes decide when the report gives them (Zoom says "Yes" to a 3-minute visit); the
        // report's own yes/no only when it gives no time at all.
        attended: person.segments.length > 0 ? person.minutes >= minMinutes : (person.attended ?? false),
        registrationId,
      },
    ];
  });
  const matched = records.filter((record) => record.registrationId);
  const attendedIds = new Set(
    matched.filter((record) => record.attended).map((record) => record.registrationId),
  );
  const confirmed = registrations.filter((registration) => registration.status === "confirmed");
  return {
    records,
    summary: {
      format: report.format,
      rows: report.rows,
      people: people.length,
      matched: matched.length,
      attended: attendedIds.size,
      absent: confirmed.filter((registration) => !attendedIds.has(registration.registrationId)).length,
      unmatched: unmatchedOf(records),
    },
  };
}
