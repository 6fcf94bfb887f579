import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchGet } from "../aws/batch-get.ts";
import { db, queryAll, queryPages, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { type Lease, leaseAttributesToRemove, renewStepLease, setLease } from "../deliveries/lease.ts";
import type { ExpectedState, PlannedReminder, Reminder, ScheduleChange } from "./reminder.ts";
import { reminderDeliveryKind, reminderSchema } from "./reminder.ts";

/**
 * The reminder items of the table. Every write that changes a reminder's state is conditional on
 * the state it was read in: the tick, the consumer and a PUT of the event may touch the same
 * reminder at the same moment, and the condition decides which one wins instead of the last
 * writer silently undoing the others. A write that loses returns `false`.
 */

type ReminderId = Pick<Reminder, "eventId" | "sessionId" | "offset">;

const keyOf = (reminder: ReminderId) => keys.reminder(reminder.eventId, reminder.sessionId, reminder.offset);

/** zod drops the table's own attributes (keys, index keys, timestamps) on the way out. */
const toReminder = (item: Record<string, unknown>): Reminder => reminderSchema.parse(item);

const statusName = { "#status": "status" };

/** Every reminder of an event, read consistently (a sync must see the tick's latest writes). */
export async function listEventReminders(eventId: string): Promise<Reminder[]> {
  const { pk, skPrefix } = keys.eventReminders(eventId);
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
    ConsistentRead: true,
  });
  return items.map(toReminder);
}

export async function findReminder(reminder: ReminderId): Promise<Reminder | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keyOf(reminder), ConsistentRead: true }),
  );
  return Item ? toReminder(Item) : undefined;
}

/**
 * Pages of the scheduled reminders due at `now` or earlier, oldest first: one Query on the sparse
 * index, which holds only scheduled reminders, so its size is what is pending, not the history.
 */
export async function* dueReminderPages(now: Date): AsyncGenerator<Reminder[]> {
  for await (const page of queryPages({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :due AND gsi1sk <= :now",
    ExpressionAttributeValues: { ":due": keys.dueReminders().gsi1pk, ":now": now.toISOString() },
  })) {
    yield page.map(toReminder);
  }
}

const indexValues = (index: { gsi1pk: string; gsi1sk: string }) => ({
  ":gsi1pk": index.gsi1pk,
  ":gsi1sk": index.gsi1sk,
});

/** The condition that the reminder is still as it was read. */
const stillAsRead = (expected: ExpectedState) => ({
  ConditionExpression: "#status = :expectedStatus AND dueAt = :expectedDueAt",
  values: { ":expectedStatus": expected.status, ":expectedDueAt": expected.dueAt },
});

/** Creates or moves a reminder as planned by `planScheduleSync`; false if it changed since it was read. */
export function applyScheduleChange(change: ScheduleChange): Promise<boolean> {
  if (change.action === "delete") {
    const { ConditionExpression, values } = stillAsRead(change.reminder);
    return unlessConditionFails(
      db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keyOf(change.reminder),
          ConditionExpression,
          ExpressionAttributeNames: statusName,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }
  const { reminder, status, expected } = change;
  const dueIndex = status === "scheduled" ? keys.dueReminderIndex(reminder) : undefined;
  if (!expected) {
    return unlessConditionFails(
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keyOf(reminder), ...dueIndex, ...reminder, status, sent: 0 },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
  }
  const { ConditionExpression, values } = stillAsRead(expected);
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(reminder),
        UpdateExpression: dueIndex
          ? "SET dueAt = :dueAt, #status = :status, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk"
          : "SET dueAt = :dueAt, #status = :status REMOVE gsi1pk, gsi1sk",
        ConditionExpression,
        ExpressionAttributeNames: statusName,
        ExpressionAttributeValues: {
          ":dueAt": reminder.dueAt,
          ":status": status,
          ...(dueIndex && indexValues(dueIndex)),
          ...values,
        },
      }),
    ),
  );
}

/**
 * Moves a due reminder from `scheduled` to `to` and out of the due index, only if it is still
 * scheduled at the due time that was read. This condition is what makes a tick that runs twice,
 * or two ticks at once, fire a reminder once, and what keeps a reminder that an organiser just
 * moved from firing at its old time.
 */
export function takeDueReminder(
  reminder: Reminder,
  to: "sending" | "skipped",
  now: Date,
  lease?: Lease,
): Promise<boolean> {
  const { ConditionExpression, values } = stillAsRead({ status: "scheduled", dueAt: reminder.dueAt });
  // A reminder that starts sending takes the lease naming its first step in the same write: if
  // `reminder.due` is never published (a crash), the sweeper publishes it.
  const leased = lease && setLease(keyOf(reminder), lease);
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(reminder),
        UpdateExpression: leased
          ? `SET #status = :to, firedAt = :now, ${leased.set}`
          : "SET #status = :to, firedAt = :now REMOVE gsi1pk, gsi1sk",
        ConditionExpression,
        ExpressionAttributeNames: statusName,
        ExpressionAttributeValues: { ":to": to, ":now": now.toISOString(), ...leased?.values, ...values },
      }),
    ),
  );
}

/** Renews the lease of a sending reminder's step with its cursor; false once it is no longer sending. */
export function renewReminderLease(reminder: ReminderId, lease: Lease): Promise<boolean> {
  return renewStepLease(keyOf(reminder), lease);
}

/** Puts a fired reminder back in the schedule, when `reminder.due` could not be published. */
export function returnToSchedule(reminder: PlannedReminder): Promise<boolean> {
  const dueIndex = keys.dueReminderIndex(reminder);
  const { ConditionExpression, values } = stillAsRead({ status: "sending", dueAt: reminder.dueAt });
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(reminder),
        UpdateExpression:
          "SET #status = :scheduled, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE firedAt, leaseUntil, leaseEpoch, resume",
        ConditionExpression,
        ExpressionAttributeNames: statusName,
        ExpressionAttributeValues: { ":scheduled": "scheduled", ...indexValues(dueIndex), ...values },
      }),
    ),
  );
}

/** Counts the mails of one page in one write; concurrent steps add up rather than overwrite. */
export async function addSent(reminder: ReminderId, count: number): Promise<void> {
  if (count === 0) return;
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keyOf(reminder),
      UpdateExpression: "ADD sent :count",
      ExpressionAttributeValues: { ":count": count },
    }),
  );
}

/** Ends a fired reminder and drops its lease; false if another step (a duplicated event) ended it first. */
export function finishReminder(
  reminder: ReminderId,
  status: "sent" | "skipped",
  now: Date,
): Promise<boolean> {
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(reminder),
        UpdateExpression: `SET #status = :status, finishedAt = :now REMOVE ${leaseAttributesToRemove}`,
        ConditionExpression: "#status = :sending",
        ExpressionAttributeNames: statusName,
        ExpressionAttributeValues: { ":status": status, ":sending": "sending", ":now": now.toISOString() },
      }),
    ),
  );
}

/** What a reminder did, as its delivery records say: mailed, refused by SES for good, suppressed. */
export interface ReminderCounts {
  sent: number;
  failed: number;
  skipped: number;
}

const deliveryStateSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  state: z.enum(["sending", "sent", "suppressed", "rejected"]),
});

/**
 * The counts of a session's reminders taken from the delivery records (`reminder-<offset>`, one
 * per registrant), not from the counter each page adds to: a crash between a page's sends and its
 * count, or a page counted again by a retried step, cannot make them wrong. A claim still
 * `sending` (in flight, or left by a crash and not yet taken over) is not counted. Reads the
 * records of `registrationIds` (the session's registrations, whatever their status now) with one
 * BatchGetItem per 100 keys. Returns the counts by offset.
 */
export async function reminderDeliveryCounts(
  sessionId: string,
  registrationIds: readonly string[],
  offsets: readonly string[],
): Promise<Map<string, ReminderCounts>> {
  const counts = new Map(offsets.map((offset) => [offset, { sent: 0, failed: 0, skipped: 0 }]));
  const offsetOfKind = new Map(offsets.map((offset) => [reminderDeliveryKind(sessionId, offset), offset]));
  const records = await batchGet(
    offsets.flatMap((offset) =>
      registrationIds.map((id) => keys.delivery(id, reminderDeliveryKind(sessionId, offset), 1)),
    ),
  );
  for (const item of records) {
    const record = deliveryStateSchema.parse(item);
    // MAIL#<kind>#<n>
    const offset = offsetOfKind.get(record.sk.split("#")[1] ?? "");
    const count = offset === undefined ? undefined : counts.get(offset);
    if (!count) continue;
    if (record.state === "sent") count.sent++;
    else if (record.state === "rejected") count.failed++;
    else if (record.state === "suppressed") count.skipped++;
  }
  return counts;
}
