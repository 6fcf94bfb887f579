import type { WebinarEvent } from "../domain/event.ts";
import { runPool } from "../pool.ts";
import { plannedReminders, planScheduleSync } from "./reminder.ts";
import { applyScheduleChange, listEventReminders } from "./reminder-store.ts";

/** Writes in flight at once: an event has at most 20 sessions × 10 offsets, so a PUT stays quick. */
const writeConcurrency = 8;

export interface SyncSummary {
  /** Reminders created, moved, skipped or deleted. */
  changed: number;
  /** Changes not made because the reminder changed meanwhile (the tick fired it, another PUT moved it). */
  superseded: number;
}

/**
 * Brings an event's reminder schedule in line with the event as just saved.
 * 1. Reads the event's reminders (one Query on the event's partition).
 * 2. Plans the changes with `planScheduleSync`: new and moved reminders are scheduled, or skipped
 *    when already past (or their session was cancelled); reminders the event no longer asks for
 *    are deleted; fired ones stay.
 * 3. Writes each change on condition that the reminder is still as read. BatchWriteItem cannot
 *    carry conditions, and without them a PUT racing the tick could put a reminder the tick just
 *    fired back in the schedule, which would mail everyone twice. A change whose condition fails
 *    is left out: what won the race (a firing, a newer PUT) stands.
 */
export async function syncReminders(event: WebinarEvent, now: Date): Promise<SyncSummary> {
  const cancelled = new Set(
    event.sessions.filter((session) => session.cancelledAt).map((session) => session.id),
  );
  const changes = planScheduleSync(
    plannedReminders(event),
    await listEventReminders(event.id),
    now,
    cancelled,
  );
  const { settled } = await runPool(changes, writeConcurrency, applyScheduleChange);
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  const applied = settled.filter((result) => result.status === "fulfilled" && result.value).length;
  return { changed: applied, superseded: changes.length - applied };
}
