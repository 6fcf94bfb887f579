import { tableName } from "../aws/dynamo.ts";
import { message } from "../bus/define-event.ts";
import { sessionCancelled } from "../bus/events/session-cancelled.ts";
import { outboxEntry } from "../bus/outbox.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { LocalizedText } from "../domain/languages.ts";
import { syncReminders } from "../reminders/sync-reminders.ts";
import { findEvent, getEvent, saveEvent } from "./event-store.ts";

/**
 * Cancels one session of an event (`sessionId`), or all of them. Steps:
 * 1. Marks each session not yet cancelled with `cancelledAt` and saves the event (its `updatedAt`
 *    moves, which is what makes the CANCEL invites' SEQUENCE higher than any invite sent before),
 *    with `session.cancelled` for each session asked for in the outbox of the same transaction:
 *    the cancellation and its announcement are stored together or not at all. The save is
 *    conditioned on the event read; if someone saved it meanwhile (an organiser's PUT, another
 *    cancellation), it is read again and the cancellation applied to that, so neither is lost.
 *    A cancelled session stays in the event: the export, the stats and its registrants' pages
 *    still show it, as cancelled; registering for it answers 409.
 * 2. Skips its pending reminders (`syncReminders`).
 * A session asked for that was cancelled before is announced again (its registrants' mails are
 * claimed once, so a request sent again mails nobody twice, and completes what the first left).
 */
export async function cancelSessions(
  eventId: string,
  sessionId: string | undefined,
  organiserMessage: LocalizedText | undefined,
  now = new Date(),
): Promise<WebinarEvent> {
  for (;;) {
    const event = (await findEvent(eventId, true)) ?? (await getEvent(eventId));
    if (sessionId && !event.sessions.some((session) => session.id === sessionId)) {
      throw new NotFoundError(`the event "${eventId}" has no session "${sessionId}"`);
    }
    const asked = event.sessions.filter((session) => !sessionId || session.id === sessionId);
    const outbox = asked.map((session) => ({
      Put: {
        TableName: tableName,
        Item: outboxEntry(
          message(sessionCancelled, {
            eventId,
            sessionId: session.id,
            ...(organiserMessage && { message: organiserMessage }),
          }),
          now,
        ).item,
      },
    }));
    const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = event;
    const cancelledAt = now.toISOString();
    const sessions = settings.sessions.map((session) =>
      asked.includes(session) && !session.cancelledAt ? { ...session, cancelledAt } : session,
    );
    const saved = await saveEvent(eventId, { ...settings, sessions }, now, event, outbox);
    if (!saved) continue; // saved by someone else since the read: applied again to what is stored
    await syncReminders(saved.event, now);
    return saved.event;
  }
}
