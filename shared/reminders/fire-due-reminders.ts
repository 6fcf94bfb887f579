import { message } from "../bus/define-event.ts";
import { reminderDue } from "../bus/events/reminder-due.ts";
import { publishEvents } from "../bus/publish.ts";
import { handOnLease } from "../deliveries/lease.ts";
import { type Reminder, tickDecision } from "./reminder.ts";
import { dueReminderPages, returnToSchedule, takeDueReminder } from "./reminder-store.ts";

export type FiringOutcome =
  /** Marked `sending` and `reminder.due` published: the consumer mails the registrants. */
  | "fired"
  /** Its session had started: marked `skipped`, nobody is mailed. */
  | "skipped"
  /** Another tick took it first, or a PUT of the event moved it since it was read. */
  | "taken";

/**
 * Fires one due reminder, at most once however many ticks see it.
 * 1. If its session has started, marks it `skipped` (never a reminder after the start).
 * 2. Otherwise moves it from `scheduled` to `sending` with a conditional write, which only one
 *    tick can win, and which fails if the reminder was moved since it was read. The same write
 *    gives it a lease naming `reminder.due`, for the sweeper should this process die now.
 * 3. Publishes `reminder.due`. If that fails, the reminder goes back to the schedule so that the
 *    next tick fires it, rather than staying `sending` with nobody mailing.
 */
export async function fireReminder(reminder: Reminder, now: Date): Promise<FiringOutcome> {
  if (tickDecision(reminder, now) === "skip") {
    return (await takeDueReminder(reminder, "skipped", now)) ? "skipped" : "taken";
  }
  const { eventId, sessionId, offset, dueAt } = reminder;
  const due = message(reminderDue, { eventId, sessionId, offset, dueAt });
  if (!(await takeDueReminder(reminder, "sending", now, handOnLease(due, now)))) return "taken";
  try {
    await publishEvents([due]);
  } catch (error) {
    await returnToSchedule(reminder);
    throw error;
  }
  return "fired";
}

/**
 * The schedule's tick: fires every reminder due by `now`.
 * 1. Reads the due reminders page by page from the sparse due index (a Query, never a Scan).
 * 2. Fires each with `fireReminder`.
 * A reminder that fails to fire does not hold up the others; the tick then fails as a whole, so
 * the failure is retried and seen, and the failed reminder is due again at the next tick.
 */
export async function fireDueReminders(now = new Date()): Promise<Record<FiringOutcome, number>> {
  const counts: Record<FiringOutcome, number> = { fired: 0, skipped: 0, taken: 0 };
  const failures: unknown[] = [];
  for await (const page of dueReminderPages(now)) {
    for (const result of await Promise.allSettled(page.map((reminder) => fireReminder(reminder, now)))) {
      if (result.status === "fulfilled") counts[result.value]++;
      else failures.push(result.reason);
    }
  }
  if (failures.length > 0)
    throw new AggregateError(failures, `${failures.length} due reminder(s) could not be fired`);
  return counts;
}
