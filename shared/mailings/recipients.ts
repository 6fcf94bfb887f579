import { sessionAttendance } from "../attendance/session-attendance.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { registrationStatuses } from "../domain/registration.ts";
import { allSessionRegistrations } from "../registrations/registration-store.ts";
import type { MailingSettings } from "./content/mailing-input.ts";
import type { Recipient } from "./mailing.ts";

/**
 * The registrants a segment selects, read with Query pages per session and status (never one read
 * per person), filtered by language, by their choice of news of later webinars, and by attendance. Attendance is only known for sessions
 * with an imported report: before one, `attended` and `absent` select nobody in that session.
 */
export async function resolveRecipients(
  event: WebinarEvent,
  segment: MailingSettings["segment"],
): Promise<Recipient[]> {
  const { statuses, languages, attendance, updates } = segment;
  const sessions = segment.sessions ?? event.sessions.map((session) => session.id);
  const perSession = await Promise.all(
    sessions.map(async (sessionId) => {
      const attendanceOf = attendance === "any" ? undefined : await sessionAttendance(event.id, sessionId);
      if (attendance !== "any" && !attendanceOf) return [];
      const registrations = (
        await Promise.all(
          registrationStatuses
            .filter((status) => statuses.includes(status))
            .map((status) => allSessionRegistrations(event.id, sessionId, status)),
        )
      ).flat();
      return registrations.filter(
        (registration) =>
          languages.includes(registration.language) &&
          (updates === "any" || registration.updates) &&
          (!attendanceOf ||
            attendanceOf(registration.registrationId).attended === (attendance === "attended")),
      );
    }),
  );
  // Once each: the index read per status can lag (a registrant promoted or moved while it is read
  // can be met twice), and a recipient listed twice would leave the mailing one record short.
  const once = new Map(perSession.flat().map((registration) => [registration.registrationId, registration]));
  return [...once.values()].map((registration) => ({
    registrationId: registration.registrationId,
    email: registration.email,
    firstName: registration.firstName,
    lastName: registration.lastName,
    organisation: registration.organisation ?? "",
    language: registration.language,
    sessionId: registration.sessionId,
  }));
}
