import { getEvent } from "../events/event-store.ts";
import type { Reminder } from "./reminder.ts";
import { listEventReminders } from "./reminder-store.ts";

export type ReminderView = Pick<Reminder, "sessionId" | "offset" | "dueAt" | "status" | "sent">;

/**
 * An event's reminders as organisers see them, in the order they go out.
 * 1. Checks that the event exists (an unknown event is a 404, not an empty list).
 * 2. Reads its reminders with one Query on the event's partition, sorted by due time (then
 *    session and offset, so that equal times keep a stable order).
 */
export async function listReminders(eventId: string): Promise<{ reminders: ReminderView[] }> {
  const [, reminders] = await Promise.all([getEvent(eventId), listEventReminders(eventId)]);
  const ordered = reminders.sort(
    (a, b) =>
      a.dueAt.localeCompare(b.dueAt) ||
      a.sessionId.localeCompare(b.sessionId) ||
      a.offset.localeCompare(b.offset),
  );
  return {
    reminders: ordered.map(({ sessionId, offset, dueAt, status, sent }) => ({
      sessionId,
      offset,
      dueAt,
      status,
      sent,
    })),
  };
}
