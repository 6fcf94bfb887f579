import type { WebinarEvent } from "../domain/event.ts";
import type { Registration } from "../domain/registration.ts";
import { answersOf, choiceKeys } from "../domain/registration-form.ts";
import { allSessionRegistrations, getSessionCounters } from "../registrations/registration-store.ts";
import { sessionAttendance } from "./session-attendance.ts";

type Breakdown = Record<string, { registered: number; attended: number }>;

export interface SessionStats {
  sessionId: string;
  /** When an organiser cancelled the session; absent while it is on. */
  cancelledAt?: string;
  /** Every registration ever made, cancelled and erased ones included. */
  registered: number;
  confirmed: number;
  waitlisted: number;
  cancelled: number;
  /** Registrants whose data was erased at their request: counted, nothing else kept about them. */
  erased: number;
  /** Confirmed registrants who attended; `null` before an attendance import. */
  attended: number | null;
  absent: number | null;
  /** attended / confirmed, between 0 and 1; `null` before an import. */
  attendanceRate: number | null;
  /** Registrants not cancelled, and those who attended, per organisation type and per country. */
  byOrganisationType: Breakdown;
  byCountry: Breakdown;
  /**
   * For each choice and yes/no question of the event, registrants not cancelled (and those who
   * attended) per answer: a choice's id, or `yes` / `no`. Every choice is listed, chosen or not.
   */
  byAnswer: Record<string, Breakdown>;
}

/**
 * Participation per session, for the organisers' reports: registrations by status, attendance
 * (after an import), and breakdowns by organisation type and country. Reads each session's
 * registrations and attendance with Query pages, never a Scan.
 */
export async function eventStats(event: WebinarEvent): Promise<{ sessions: SessionStats[] }> {
  return {
    sessions: await Promise.all(
      event.sessions.map(async (session) => ({
        ...(await sessionStats(event, session.id)),
        ...(session.cancelledAt && { cancelledAt: session.cancelledAt }),
      })),
    ),
  };
}

async function sessionStats(event: WebinarEvent, sessionId: string): Promise<SessionStats> {
  const eventId = event.id;
  const [registrations, attendanceOf, { erased }] = await Promise.all([
    allSessionRegistrations(eventId, sessionId),
    sessionAttendance(eventId, sessionId),
    getSessionCounters(eventId, sessionId),
  ]);
  const count = (status: Registration["status"]) => registrations.filter((r) => r.status === status).length;
  const confirmed = registrations.filter((r) => r.status === "confirmed");
  const attended = attendanceOf
    ? confirmed.filter((r) => attendanceOf(r.registrationId).attended).length
    : null;
  const present = registrations.filter((r) => r.status !== "cancelled");
  /** Counts each registrant under the keys `keysOf` gives them (none when a field was not asked). */
  const breakdown = (keysOf: (registration: Registration) => readonly string[], result: Breakdown = {}) => {
    for (const registration of present) {
      for (const key of keysOf(registration)) {
        const entry = result[key] ?? { registered: 0, attended: 0 };
        result[key] = entry;
        entry.registered++;
        if (attendanceOf?.(registration.registrationId).attended) entry.attended++;
      }
    }
    return result;
  };
  const field = (name: "organisationType" | "country") => (registration: Registration) => {
    const value = registration[name];
    return value === undefined ? [] : [value];
  };
  const byAnswer: Record<string, Breakdown> = {};
  for (const question of event.form?.questions ?? []) {
    const keys = choiceKeys(question);
    if (!keys) continue;
    const zero = Object.fromEntries(keys.map((key) => [key, { registered: 0, attended: 0 }]));
    byAnswer[question.id] = breakdown((registration) => {
      const answer = answersOf(registration)[question.id];
      if (typeof answer === "boolean") return [answer ? "yes" : "no"];
      return (Array.isArray(answer) ? answer : answer === undefined ? [] : [answer]).filter((key) =>
        keys.includes(key),
      );
    }, zero);
  }
  return {
    sessionId,
    registered: registrations.length + erased,
    erased,
    confirmed: confirmed.length,
    waitlisted: count("waitlisted"),
    cancelled: count("cancelled"),
    attended,
    absent: attended === null ? null : confirmed.length - attended,
    attendanceRate:
      attended === null || confirmed.length === 0
        ? null
        : Math.round((attended / confirmed.length) * 1000) / 1000,
    byOrganisationType: breakdown(field("organisationType")),
    byCountry: breakdown(field("country")),
    byAnswer,
  };
}
