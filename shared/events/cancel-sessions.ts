import { message } from "../bus/define-event.ts";
import { sessionCancelled } from "../bus/events/session-cancelled.ts";
import { publishEvents } from "../bus/publish.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { LocalizedText } from "../domain/languages.ts";
import { syncReminders } from "../reminders/sync-reminders.ts";
import { getEvent, saveEvent } from "./event-store.ts";

/** PutEvents takes at most 10 entries; an event has at most 20 sessions. */
const putEventsLimit = 10;

/**
 * Cancels one session of an event (`sessionId`), or all of them. Steps:
 * 1. Marks each session not yet cancelled with `cancelledAt` and saves the event (its `updatedAt`
 *    moves, which is what makes the CANCEL invites' SEQUENCE higher than any invite sent before).
 *    A cancelled session stays in the event: the export, the stats and its registrants' pages
 *    still show it, as cancelled; registering for it answers 409.
 * 2. Skips its pending reminders (`syncReminders`).
 * 3. Publishes `session.cancelled` for each session asked for, even one cancelled before: a
 *    request sent again after a failed publish completes what the first one left, and each
 *    registrant's mail is claimed once, so nobody is mailed twice.
 */
export async function cancelSessions(
  eventId: string,
  sessionId: string | undefined,
  organiserMessage: LocalizedText | undefined,
  now = new Date(),
): Promise<WebinarEvent> {
  const event = await getEvent(eventId);
  if (sessionId && !event.sessions.some((session) => session.id === sessionId)) {
    throw new NotFoundError(`the event "${eventId}" has no session "${sessionId}"`);
  }
  const asked = event.sessions.filter((session) => !sessionId || session.id === sessionId);
  let saved = event;
  if (asked.some((session) => !session.cancelledAt)) {
    const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = event;
    const cancelledAt = now.toISOString();
    const sessions = settings.sessions.map((session) =>
      asked.includes(session) && !session.cancelledAt ? { ...session, cancelledAt } : session,
    );
    saved = (await saveEvent(eventId, { ...settings, sessions }, now)).event;
  }
  await syncReminders(saved, now);
  const messages = asked.map((session) =>
    message(sessionCancelled, {
      eventId,
      sessionId: session.id,
      ...(organiserMessage && { message: organiserMessage }),
    }),
  );
  for (let start = 0; start < messages.length; start += putEventsLimit) {
    await publishEvents(messages.slice(start, start + putEventsLimit));
  }
  return saved;
}
