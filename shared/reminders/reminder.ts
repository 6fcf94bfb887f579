import * as z from "zod";
import { parseDurationMs } from "../domain/duration.ts";
import type { WebinarEvent } from "../domain/event.ts";

/**
 * The rules of the reminder schedule, free of AWS so they can be tested alone. A reminder is one
 * (event, session, offset): due at the session's start minus the offset, it goes through
 * `scheduled` → `sending` (fired by the tick) → `sent`, or ends `skipped` when its time came too
 * late to be useful (created or moved after its due time, or its session has started).
 */
export const reminderStatuses = ["scheduled", "sending", "sent", "skipped"] as const;
export type ReminderStatus = (typeof reminderStatuses)[number];

export const reminderSchema = z.object({
  eventId: z.string(),
  sessionId: z.string(),
  /** The ISO 8601 duration before the session, as the organiser wrote it ("P1D", "PT1H"). */
  offset: z.string(),
  /** When the reminder goes out: the session's start minus the offset, as an ISO instant in UTC. */
  dueAt: z.string(),
  status: z.enum(reminderStatuses),
  /** How many registrants it was mailed to so far. */
  sent: z.number().int().nonnegative(),
});
export type Reminder = z.infer<typeof reminderSchema>;

/** What the event asks for: a reminder of a session at an offset, and when it is due. */
export type PlannedReminder = Pick<Reminder, "eventId" | "sessionId" | "offset" | "dueAt">;

/** The offset in milliseconds; offsets are validated with the event, so a bad one here is a bug. */
export function offsetMs(offset: string): number {
  const ms = parseDurationMs(offset);
  if (ms === undefined) throw new Error(`"${offset}" is not a reminder offset`);
  return ms;
}

/**
 * When a reminder is due. Always written by `toISOString` (UTC, milliseconds), whatever offset the
 * session's `startsAt` was given in, because due times are compared as strings in the index.
 */
export function dueAtOf(startsAt: string, offset: string): string {
  return new Date(Date.parse(startsAt) - offsetMs(offset)).toISOString();
}

/** The start of a reminder's session, from the reminder alone: the tick needs no read of the event. */
export function sessionStartOf(reminder: Pick<Reminder, "dueAt" | "offset">): number {
  return Date.parse(reminder.dueAt) + offsetMs(reminder.offset);
}

/** One reminder per session and offset of the event. */
export function plannedReminders(
  event: Pick<WebinarEvent, "id" | "sessions" | "reminders">,
): PlannedReminder[] {
  return event.sessions.flatMap((session) =>
    event.reminders.map((offset) => ({
      eventId: event.id,
      sessionId: session.id,
      offset,
      dueAt: dueAtOf(session.startsAt, offset),
    })),
  );
}

/** The status and due time a write expects to find, so it never overwrites a concurrent change. */
export type ExpectedState = Pick<Reminder, "status" | "dueAt">;

export type ScheduleChange =
  /** Create the reminder (`expected` absent: it must not exist) or move it, as scheduled or skipped. */
  | { action: "put"; reminder: PlannedReminder; status: "scheduled" | "skipped"; expected?: ExpectedState }
  /** The event no longer asks for this reminder (session or offset removed). */
  | { action: "delete"; reminder: Reminder };

const identity = (reminder: Pick<Reminder, "sessionId" | "offset">) =>
  `${reminder.sessionId}\n${reminder.offset}`;

/**
 * The writes that bring the stored schedule in line with the event as saved:
 * - a new reminder, or one whose due time moved, is scheduled if its due time is still ahead and
 *   skipped otherwise, so that an event created or moved late never sends a burst of stale
 *   reminders;
 * - a scheduled reminder whose due time did not change stays scheduled even once it is due: it is
 *   only waiting for the next tick, and saving an unrelated change (a title) must not drop it;
 * - a reminder already fired (`sending`, `sent`) is history and is never touched;
 * - a reminder the event no longer asks for is deleted, unless it was fired.
 * A skipped reminder moved to a time still ahead is scheduled again: nobody got it. The pending
 * reminders of a cancelled session (`cancelledSessions`) are skipped: its registrants were told.
 */
export function planScheduleSync(
  planned: readonly PlannedReminder[],
  stored: readonly Reminder[],
  now: Date,
  cancelledSessions: ReadonlySet<string> = new Set(),
): ScheduleChange[] {
  const storedByIdentity = new Map(stored.map((reminder) => [identity(reminder), reminder]));
  const changes: ScheduleChange[] = [];
  for (const reminder of planned) {
    const current = storedByIdentity.get(identity(reminder));
    storedByIdentity.delete(identity(reminder));
    if (current && isFired(current)) continue;
    const cancelled = cancelledSessions.has(reminder.sessionId);
    if (current?.status === "scheduled" && current.dueAt === reminder.dueAt && !cancelled) continue;
    const status = !cancelled && Date.parse(reminder.dueAt) > now.getTime() ? "scheduled" : "skipped";
    if (current?.status === status && current.dueAt === reminder.dueAt) continue;
    changes.push({
      action: "put",
      reminder,
      status,
      ...(current && { expected: { status: current.status, dueAt: current.dueAt } }),
    });
  }
  for (const leftOver of storedByIdentity.values()) {
    if (!isFired(leftOver)) changes.push({ action: "delete", reminder: leftOver });
  }
  return changes;
}

const isFired = (reminder: Pick<Reminder, "status">) =>
  reminder.status === "sending" || reminder.status === "sent";

/**
 * What the tick does with a due reminder: fire it, or skip it because its session has started (a
 * reminder after the start is noise, and the join link is in the confirmation anyway).
 */
export function tickDecision(reminder: Pick<Reminder, "dueAt" | "offset">, now: Date): "fire" | "skip" {
  return now.getTime() >= sessionStartOf(reminder) ? "skip" : "fire";
}

/**
 * Whether a confirmed registrant gets a reminder: not if they registered after its due time (their
 * confirmation, a moment ago, already said everything a reminder would).
 */
export function isReminded(registration: { createdAt: string }, reminder: Pick<Reminder, "dueAt">): boolean {
  return Date.parse(registration.createdAt) <= Date.parse(reminder.dueAt);
}

/**
 * The delivery kind of a reminder in a registrant's delivery records: one per session and offset,
 * so that someone moved to another session (their own switch, the organiser's move) is reminded
 * of the new one even if the old one's reminder at that offset already went out.
 */
export const reminderDeliveryKind = (sessionId: string, offset: string) => `reminder-${sessionId}-${offset}`;
