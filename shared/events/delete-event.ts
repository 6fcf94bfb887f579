import { tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import { listSessionRegistrations } from "../registrations/registration-store.ts";
import { deleteItems, eventPartitionKeys, findEvent } from "./event-store.ts";

/**
 * Deletes an event that nobody registered for (a test, a draft created by mistake): its settings,
 * counters, reminders and draft mailings. An event with registrations, even cancelled ones, is
 * refused with a 409: their data and history belong to the organisers' records (erasure of people
 * is its own, per-person action).
 * The event item goes first, in one transaction with a check of each session's counters (still
 * no seat and nobody waiting) and of the event as read: a registration that came in since the
 * look for registrations makes it a 409 too, and any later one fails its own check of the event
 * (`eventAsRead`), so no registration outlives its event. The rest of the partition follows
 * (a PUT that creates the same event again within those milliseconds can lose the reminders or
 * counters it wrote meanwhile; clean-up transactions that check the event item is still absent
 * would close that, not worth their cost for a draft deleted by mistake).
 */
export async function deleteEvent(eventId: string): Promise<void> {
  const event = await findEvent(eventId, true);
  if (!event) return deleteLeftovers(eventId);
  const registered = await Promise.all(
    event.sessions.map(
      async (session) =>
        (await listSessionRegistrations(eventId, session.id, undefined, { limit: 1 })).registrations.length,
    ),
  );
  const refusal = new ConflictError(
    "event-has-registrations",
    `the event "${eventId}" has registrations: it cannot be deleted`,
  );
  if (registered.some((count) => count > 0)) throw refusal;
  const failed = await transact([
    {
      Delete: {
        TableName: tableName,
        Key: keys.event(eventId),
        ConditionExpression: "updatedAt = :updatedAt",
        ExpressionAttributeValues: { ":updatedAt": event.updatedAt },
      },
    },
    ...event.sessions.map((session) => ({
      ConditionCheck: {
        TableName: tableName,
        Key: keys.sessionCounters(eventId, session.id),
        ConditionExpression:
          "(attribute_not_exists(confirmed) OR confirmed = :zero) AND (attribute_not_exists(waitlisted) OR waitlisted = :zero)",
        ExpressionAttributeValues: { ":zero": 0 },
      },
    })),
  ]);
  if (failed === 0) {
    // Deleted meanwhile (the same DELETE sent twice at once): as for a DELETE sent again.
    if (!(await findEvent(eventId, true))) return deleteLeftovers(eventId);
    throw new ConflictError("event-changed", `the event "${eventId}" was saved meanwhile: look at it again`);
  }
  if (failed !== undefined) throw refusal;
  await deleteItems(await eventItemsBesidesItself(eventId));
}

/**
 * An event gone already: what a delete that failed after the event item left (counters,
 * reminders) is cleared by the DELETE sent again; an event that never was is a 404.
 */
async function deleteLeftovers(eventId: string): Promise<void> {
  const leftovers = await eventItemsBesidesItself(eventId);
  if (leftovers.length === 0) throw new NotFoundError(`there is no event "${eventId}"`);
  await deleteItems(leftovers);
}

/**
 * The event's partition but its own item: a PUT that creates the event again right after the
 * delete keeps its settings (not its counters, should it come between the two writes).
 */
async function eventItemsBesidesItself(eventId: string) {
  const eventKey = keys.event(eventId);
  return (await eventPartitionKeys(eventId)).filter((key) => key.sk !== eventKey.sk);
}
