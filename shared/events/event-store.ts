import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchWrite } from "../aws/batch-write.ts";
import { db, queryAll, type TransactItem, tableName } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import { sessionEnd } from "../domain/dates.ts";
import { NotFoundError } from "../domain/errors.ts";
import { type EventSettings, eventInputSchema, type WebinarEvent } from "../domain/event.ts";

/**
 * An event item: the settings as validated when saved (parsed again with the same schema on read, so
 * an event saved before a setting gained a default reads with that default), and its times.
 */
const eventItemSchema = z.object({ data: eventInputSchema, createdAt: z.string(), updatedAt: z.string() });
type EventItem = z.infer<typeof eventItemSchema>;

const toEvent = (id: string, item: EventItem): WebinarEvent => ({
  id,
  ...item.data,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

/** The event as stored; `consistent` for a read that a conditional save is based on. */
export async function findEvent(id: string, consistent = false): Promise<WebinarEvent | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.event(id), ConsistentRead: consistent }),
  );
  return Item ? toEvent(id, eventItemSchema.parse(Item)) : undefined;
}

/** When an event's last session ends: events are listed by it, latest first (upcoming, then past). */
function lastSessionEnd(settings: EventSettings): string {
  const ends = settings.sessions.map((session) =>
    sessionEnd(session.startsAt, session.durationMinutes).getTime(),
  );
  return new Date(Math.max(...ends)).toISOString();
}

const prefixed = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [`:${name}`, value]));

const listedEventSchema = eventItemSchema.extend({ eventId: z.string() });

/**
 * One page of the events, latest-ending first: a Query on gsi1 under `EVENTS`, never a Scan.
 * `cursor` is where the previous page stopped (the Query's own key), `undefined` on the last page.
 */
export async function listEventsPage(
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<{ events: WebinarEvent[]; cursor?: Record<string, unknown> }> {
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.allEvents().gsi1pk },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  const events = (Items ?? []).map((item) => {
    const { eventId, ...stored } = listedEventSchema.parse(item);
    return toEvent(eventId, stored);
  });
  return { events, cursor: LastEvaluatedKey };
}

/** Every item under an event's own partition (the event, counters, locks, reminders, mailings). */
export async function eventPartitionKeys(eventId: string): Promise<TableKey[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": keys.eventPartition(eventId).pk },
    ProjectionExpression: "pk, sk",
    ConsistentRead: true,
  });
  return items.map((item) => z.object({ pk: z.string(), sk: z.string() }).parse(item));
}

/** Deletes those items (BatchWriteItem; deleting an item that is gone already is no error). */
export async function deleteItems(itemKeys: readonly TableKey[]): Promise<void> {
  await batchWrite(itemKeys.map((key) => ({ delete: key })));
  recentPublicReads.clear();
}

export async function getEvent(id: string): Promise<WebinarEvent> {
  const event = await findEvent(id);
  if (!event) throw new NotFoundError(`there is no event "${id}"`);
  return event;
}

/** How long a warm container reuses an event it read for the public path. */
export const publicReadMaxAgeMs = 5_000;

const recentPublicReads = new Map<string, { event: WebinarEvent; readAt: number }>();

/**
 * {@link getEvent} for the public path (the event's page, the form, registering): a warm container
 * reuses an event it read less than {@link publicReadMaxAgeMs} ago, so a burst of registrations
 * costs one read of the event, not one each. What stays exact:
 * - **capacity**: seats are counted by the session's counter item, and a seat is taken only by
 *   the registration transaction's condition on it (`confirmed < :capacity`), atomically, never by
 *   counting against the cached event: concurrent registrations can never overbook. Only the
 *   number `:capacity` comes from the event, and the same transaction checks that the event item
 *   is still the one read (its `updatedAt`; see `register`), so a changed capacity applies at once;
 * - **closing**: whether a session has started is computed from the request's own clock against
 *   the start time, which is not cached state, of an event the transaction checks as above;
 * - an edit in this same process (the local runtime runs every function in one) is seen at once:
 *   saving or deleting an event drops the cached reads.
 * A missing event is never cached, so an event created a moment ago is found at once. `maxAgeMs`
 * 0 reads the event again and caches that (for a transaction that found the event changed).
 */
export async function getEventForPublic(
  id: string,
  now = Date.now(),
  maxAgeMs = publicReadMaxAgeMs,
): Promise<WebinarEvent> {
  const recent = recentPublicReads.get(id);
  if (recent && now - recent.readAt < maxAgeMs) return recent.event;
  const event = await getEvent(id);
  recentPublicReads.set(id, { event, readAt: now });
  return event;
}

/**
 * A transaction item whose condition fails unless the event item is still the one read: every
 * save of the settings sets a new `updatedAt`, and a deleted event has none.
 */
export const eventAsRead = (event: Pick<WebinarEvent, "id" | "updatedAt">): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: keys.event(event.id),
    ConditionExpression: "updatedAt = :updatedAt",
    ExpressionAttributeValues: { ":updatedAt": event.updatedAt },
  },
});

/**
 * The time a save writes as `updatedAt`: now, or just after the time read if the clock has not
 * moved past it, so that `updatedAt` is a version that every save changes.
 */
const nextUpdatedAt = (read: WebinarEvent | undefined, now: Date) =>
  new Date(Math.max(now.getTime(), read ? Date.parse(read.updatedAt) + 1 : 0)).toISOString();

/** The update that writes an event's settings, on condition that the stored event is still `read`. */
function eventUpdate(id: string, settings: EventSettings, updatedAt: string, read: WebinarEvent | undefined) {
  return {
    TableName: tableName,
    Key: keys.event(id),
    UpdateExpression:
      "SET #data = :data, eventId = :id, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, createdAt = :createdAt, updatedAt = :now",
    ConditionExpression: read ? "updatedAt = :read" : "attribute_not_exists(pk)",
    ExpressionAttributeNames: { "#data": "data" },
    ExpressionAttributeValues: {
      ":data": settings,
      ":id": id,
      ":now": updatedAt,
      ":createdAt": read?.createdAt ?? updatedAt,
      ...(read && { ":read": read.updatedAt }),
      ...prefixed(keys.eventIndex(id, lastSessionEnd(settings))),
    },
  };
}

/**
 * Creates or replaces an event's settings, on condition that the stored event is still the one
 * `read` (same `updatedAt`; absent when `read` is undefined), with `announcements` (outbox items:
 * every save announces something) in the same transaction, whose only condition is the event's
 * (conflicts with registrations' checks of the event are retried, a busy table answers 503).
 * Undefined when the condition failed: someone saved the event since it was read (a PUT based on
 * an older read, or a cancellation), and the caller reads it again or answers 409.
 */
export async function saveEvent(
  id: string,
  settings: EventSettings,
  now: Date,
  read?: WebinarEvent,
  announcements: readonly TransactItem[] = [],
): Promise<{ event: WebinarEvent; created: boolean } | undefined> {
  const updatedAt = nextUpdatedAt(read, now);
  const update = eventUpdate(id, settings, updatedAt, read);
  const saved = (await transact([{ Update: update }, ...announcements])) === undefined;
  recentPublicReads.delete(id);
  if (!saved) return undefined;
  const createdAt = read?.createdAt ?? updatedAt;
  return { event: toEvent(id, { data: settings, createdAt, updatedAt }), created: read === undefined };
}
