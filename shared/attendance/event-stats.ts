import type { WebinarEvent } from "../domain/event.ts";
import type { Registration } from "../domain/registration.ts";
import { allSessionRegistrations } from "../registrations/registration-store.ts";
import { sessionAttendance } from "./session-attendance.ts";

type Breakdown = Record<string, { registered: number; attended: number }>;

export interface SessionStats {
  sessionId: string;
  /** Every registration ever made, cancelled ones included. */
  registered: number;
  confirmed: number;
  waitlisted: number;
  cancelled: number;
  /** Confirmed registrants who attended; `null` before an attendance import. */
  attended: number | null;
  absent: number | null;
  /** attended / confirmed, between 0 and 1; `null` before an import. */
  attendanceRate: number | null;
  /** Registrants not cancelled, and those who attended, per organisation type and per country. */
  byOrganisationType: Breakdown;
  byCountry: Breakdown;
}

/**
 * Participation per session, for the organisers' reports: registrations by status, attendance
 * (after an import), and breakdowns by organisation type and country. Reads each session's
 * registrations and attendance with Query pages, never a Scan.
 */
export async function eventStats(event: WebinarEvent): Promise<{ sessions: SessionStats[] }> {
  return { sessions: await Promise.all(event.sessions.map((session) => sessionStats(event.id, session.id))) };
}

async function sessionStats(eventId: string, sessionId: string): Promise<SessionStats> {
  const [registrations, attendanceOf] = await Promise.all([
    allSessionRegistrations(eventId, sessionId),
    sessionAttendance(eventId, sessionId),
  ]);
  const count = (status: Registration["status"]) => registrations.filter((r) => r.status === status).length;
  const confirmed = registrations.filter((r) => r.status === "confirmed");
  const attended = attendanceOf
    ? confirmed.filter((r) => attendanceOf(r.registrationId).attended).length
    : null;
  const present = registrations.filter((r) => r.status !== "cancelled");
  const breakdown = (field: "organisationType" | "country"): Breakdown => {
    const result: Breakdown = {};
    for (const registration of present) {
      const entry = result[registration[field]] ?? { registered: 0, attended: 0 };
      result[registration[field]] = entry;
      entry.registered++;
      if (attendanceOf?.(registration.registrationId).attended) entry.attended++;
    }
    return result;
  };
  return {
    sessionId,
    registered: registrations.length,
    confirmed: confirmed.length,
    waitlisted: count("waitlisted"),
    cancelled: count("cancelled"),
    attended,
    absent: attended === null ? null : confirmed.length - attended,
    attendanceRate:
      attended === null || confirmed.length === 0
        ? null
        : Math.round((attended / confirmed.length) * 1000) / 1000,
    byOrganisationType: breakdown("organisationType"),
    byCountry: breakdown("country"),
  };
}
