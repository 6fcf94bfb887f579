import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { message } from "../bus/define-event.ts";
import { sessionChanged } from "../bus/events/session-changed.ts";
import { outboxEntry } from "../bus/outbox.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";

/** What registrants are told of a session, and whose change is announced. */
const announcedSchema = z.object({ startsAt: z.string(), durationMinutes: z.int(), joinUrl: z.string() });
export type Announced = z.infer<typeof announcedSchema>;
/** The session's change item: what was last announced, and the number of that change. */
const changesItemSchema = announcedSchema.extend({ change: z.int().min(0) });

const announcedOf = ({ startsAt, durationMinutes, joinUrl }: Session | Announced): Announced => ({
  startsAt,
  durationMinutes,
  joinUrl,
});
const sameAnnounced = (a: Announced, b: Announced) =>
  Date.parse(a.startsAt) === Date.parse(b.startsAt) &&
  a.durationMinutes === b.durationMinutes &&
  a.joinUrl === b.joinUrl;

/** The stored change number of a session (0 before any change): a step of an older one stops. */
export async function sessionChangeNumber(eventId: string, sessionId: string): Promise<number> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.sessionChanges(eventId, sessionId),
      ConsistentRead: true,
    }),
  );
  return Item ? changesItemSchema.parse(Item).change : 0;
}

/** Another save's transaction won (a condition failed), not a throttled or failed one. */
const isTransactionConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed");

/**
 * After a save: each session whose start, duration or join link differs from what its registrants
 * were last told gets its change announced. The comparison is with the session's change item (what
 * was last announced), not with the event as it was before this save, so a PUT sent again after a
 * failure announces what the first one left unannounced, and a PUT that changes nothing announces
 * nothing. A session seen for the first time is recorded as announced (from the event as it was
 * before this save if it had the session, so an event saved before this feature still announces
 * its first change). The new change number and `session.changed` are written in one transaction
 * (the message in the outbox) on condition that the number is still the one read: of two
 * concurrent saves, one announces, and a later step of an older change stops. Cancelled sessions
 * announce nothing (their registrants were told). Returns the number of changes announced.
 */
export async function announceSessionChanges(
  previous: WebinarEvent | undefined,
  saved: WebinarEvent,
  now: Date,
): Promise<number> {
  // Sessions are independent: their items are read and written side by side, keeping the PUT quick.
  const outcomes = await Promise.all(
    saved.sessions.map((session) => announceSession(previous, saved, session, now)),
  );
  return outcomes.filter(Boolean).length;
}

/** One session's part of {@link announceSessionChanges}: whether it announced a change. */
async function announceSession(
  previous: WebinarEvent | undefined,
  saved: WebinarEvent,
  session: Session,
  now: Date,
): Promise<boolean> {
  if (session.cancelledAt) return false;
  const key = keys.sessionChanges(saved.id, session.id);
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const stored = Item ? changesItemSchema.parse(Item) : undefined;
  const before = previous?.sessions.find((candidate) => candidate.id === session.id);
  const baseline = stored ?? (before && announcedOf(before)) ?? announcedOf(session);
  const current = announcedOf(session);
  if (sameAnnounced(baseline, current)) {
    if (!stored) {
      await unlessConditionFails(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, ...current, change: 0 },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    }
    return false;
  }
  const change = (stored?.change ?? 0) + 1;
  const outbox = outboxEntry(
    message(sessionChanged, {
      eventId: saved.id,
      sessionId: session.id,
      change,
      previous: announcedOf(baseline),
      changedAt: now.toISOString(),
    }),
    now,
  );
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...key, ...current, change },
              ...(stored
                ? {
                    ConditionExpression: "change = :read",
                    ExpressionAttributeValues: { ":read": stored.change },
                  }
                : { ConditionExpression: "attribute_not_exists(pk)" }),
            },
          },
          { Put: { TableName: tableName, Item: outbox.item } },
        ],
      }),
    );
    return true;
  } catch (error) {
    // A concurrent save announced first; what it saved is what its own announcement says.
    if (!isTransactionConflict(error)) throw error;
    return false;
  }
}
