import { ConflictError } from "../domain/errors.ts";
import { listSessionRegistrations } from "../registrations/registration-store.ts";
import { deleteItems, eventPartitionKeys, getEvent } from "./event-store.ts";

/**
 * Deletes an event that nobody registered for (a test, a draft created by mistake): its settings,
 * counters, reminders and draft mailings. An event with registrations, even cancelled ones, is
 * refused with a 409: their data and history belong to the organisers' records (erasure of people
 * is its own, per-person action).
 */
export async function deleteEvent(eventId: string): Promise<void> {
  const event = await getEvent(eventId);
  const registered = await Promise.all(
    event.sessions.map(
      async (session) =>
        (await listSessionRegistrations(eventId, session.id, undefined, { limit: 1 })).registrations.length,
    ),
  );
  if (registered.some((count) => count > 0)) {
    throw new ConflictError(
      "event-has-registrations",
      `the event "${eventId}" has registrations: it cannot be deleted`,
    );
  }
  await deleteItems(await eventPartitionKeys(eventId));
}
