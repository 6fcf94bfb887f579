import { getEvent } from "../events/event-store.ts";
import { allSessionRegistrations } from "../registrations/registration-store.ts";
import type { Reminder } from "./reminder.ts";
import { listEventReminders, type ReminderCounts, reminderDeliveryCounts } from "./reminder-store.ts";

export type ReminderView = Pick<Reminder, "sessionId" | "offset" | "dueAt" | "status"> & ReminderCounts;

/**
 * An event's reminders as organisers see them, in the order they go out.
 * 1. Checks that the event exists (an unknown event is a 404, not an empty list).
 * 2. Reads its reminders with one Query on the event's partition, sorted by due time (then
 *    session and offset, so that equal times keep a stable order).
 * 3. Counts what each reminder that fired really did from its delivery records (sent, failed,
 *    skipped), so that after a crash the page says what went out: per session, one Query of its
 *    registrations and a BatchGetItem per 100 records. A scheduled reminder has sent nothing.
 */
export async function listReminders(eventId: string): Promise<{ reminders: ReminderView[] }> {
  const [, reminders] = await Promise.all([getEvent(eventId), listEventReminders(eventId)]);
  const ordered = reminders.sort(
    (a, b) =>
      a.dueAt.localeCompare(b.dueAt) ||
      a.sessionId.localeCompare(b.sessionId) ||
      a.offset.localeCompare(b.offset),
  );
  const fired = ordered.filter((reminder) => reminder.status === "sending" || reminder.status === "sent");
  const sessions = [...new Set(fired.map((reminder) => reminder.sessionId))];
  const countsBySession = new Map(
    await Promise.all(
      sessions.map(async (sessionId) => {
        const registrations = await allSessionRegistrations(eventId, sessionId);
        const offsets = fired.filter((r) => r.sessionId === sessionId).map((r) => r.offset);
        const counts = await reminderDeliveryCounts(
          sessionId,
          registrations.map((registration) => registration.registrationId),
          offsets,
        );
        return [sessionId, counts] as const;
      }),
    ),
  );
  const none: ReminderCounts = { sent: 0, failed: 0, skipped: 0 };
  return {
    reminders: ordered.map(({ sessionId, offset, dueAt, status }) => ({
      sessionId,
      offset,
      dueAt,
      status,
      ...(countsBySession.get(sessionId)?.get(offset) ?? none),
    })),
  };
}
