import { readAttendance, readImport } from "./attendance-store.ts";

/** What a registrant's row says of attendance: empty before any import of their session. */
export type AttendanceColumns = { attended: boolean | null; attendedMinutes: number | null };

/**
 * The attendance of a session's registrants by registration id, from the last import (one Get and
 * one Query), or `undefined` when no report was imported yet.
 */
export async function sessionAttendance(
  eventId: string,
  sessionId: string,
): Promise<((registrationId: string) => AttendanceColumns) | undefined> {
  if (!(await readImport(eventId, sessionId))) return undefined;
  const byRegistration = new Map(
    (await readAttendance(eventId, sessionId)).flatMap((record) =>
      record.registrationId ? [[record.registrationId, record] as const] : [],
    ),
  );
  return (registrationId) => {
    const record = byRegistration.get(registrationId);
    return { attended: record?.attended ?? false, attendedMinutes: record?.minutes ?? 0 };
  };
}

export const noAttendanceYet: AttendanceColumns = { attended: null, attendedMinutes: null };
