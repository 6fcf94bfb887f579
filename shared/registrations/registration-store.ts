import { setTimeout as sleep } from "node:timers/promises";
import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, type TransactItem, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import type { BusMessage } from "../bus/define-event.ts";
import { outboxEntry } from "../bus/outbox.ts";
import {
  normalizeEmail,
  type Registration,
  type RegistrationStatus,
  registrationSchema,
} from "../domain/registration.ts";

/** The (event, email) uniqueness item: which registration holds that address in that event. */
const emailLockSchema = z.object({ registrationId: z.string() });

const registrationItem = (registration: Registration) => ({
  ...keys.registration(registration.registrationId),
  ...keys.registrationIndex(registration),
  ...registration,
});

/** A stored item as a registration: table keys and bookkeeping fields are left out by the schema. */
const toRegistration = (item: Record<string, unknown>): Registration => registrationSchema.parse(item);

/**
 * The two ways a registration can take its place in a session's counters: a seat (whose condition
 * stops overbooking, and lets nobody overtake those waiting), or a place on the waiting list.
 */
function sessionCounterUpdates(eventId: string, sessionId: string, capacity: number | undefined) {
  const Key = keys.sessionCounters(eventId, sessionId);
  const seat: TransactItem = {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: "ADD confirmed :one",
      // A free seat goes to the waitlist first: newcomers do not overtake those waiting.
      ...(capacity !== undefined
        ? {
            ConditionExpression:
              "(attribute_not_exists(confirmed) OR confirmed < :capacity) AND (attribute_not_exists(waitlisted) OR waitlisted = :zero)",
            ExpressionAttributeValues: { ":one": 1, ":capacity": capacity, ":zero": 0 },
          }
        : { ExpressionAttributeValues: { ":one": 1 } }),
    },
  };
  const waitlist: TransactItem = {
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: "ADD waitlisted :one",
      ExpressionAttributeValues: { ":one": 1 },
    },
  };
  return { seat, waitlist };
}

export type CreateOutcome =
  | { outcome: "created"; status: RegistrationStatus }
  | { outcome: "already-registered" }
  /** The condition of `guards[guard]` failed: nothing was written. */
  | { outcome: "guard-failed"; guard: number };

/**
 * The items of the transaction that stores a new registration, for either status it may take: the
 * registration, the (event, email) uniqueness item, the session's counter (a seat, or a place on
 * the waiting list) and the outbox item of `announce(status)`, then `guards`. Built once per
 * request (the outbox ids are drawn here); also what `scripts/measure-registration.ts` sends bare,
 * as the DynamoDB work a registration needs.
 */
export function newRegistrationTransaction(
  registration: Omit<Registration, "status">,
  capacity: number | undefined,
  now: Date,
  announce: (status: RegistrationStatus) => BusMessage,
  guards: readonly TransactItem[] = [],
): Record<"confirmed" | "waitlisted", TransactItem[]> {
  const lock = {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.emailLock(registration.eventId, normalizeEmail(registration.email)),
        registrationId: registration.registrationId,
        expiresAt: registration.expiresAt,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
  const counters = sessionCounterUpdates(registration.eventId, registration.sessionId, capacity);
  const items = (status: "confirmed" | "waitlisted", counter: TransactItem): TransactItem[] => [
    // The first confirmation counts as sent now: a double-submitted form does not mail twice.
    {
      Put: {
        TableName: tableName,
        Item: { ...registrationItem({ ...registration, status }), lastConfirmationAt: now.toISOString() },
      },
    },
    lock,
    counter,
    { Put: { TableName: tableName, Item: outboxEntry(announce(status), now).item } },
    ...guards,
  ];
  return { confirmed: items("confirmed", counters.seat), waitlisted: items("waitlisted", counters.waitlist) };
}

/** How many items of {@link newRegistrationTransaction} come before its guards. */
const ownItems = 4;

/**
 * Stores a new registration in one transaction ({@link newRegistrationTransaction}). The counter's
 * condition is what keeps a session from being overbooked under concurrent requests: past
 * `capacity` confirmed (or while others wait), the same registration is stored as waitlisted
 * instead. The message that announces it (`announce(status)`) goes into the same transaction as an
 * outbox item (relayed from the stream). `guards` are further conditional items of the same
 * transaction (the request's rate-limit counters, a check that the event is as read), so that they
 * cost no round trip of their own.
 */
export async function createRegistration(
  registration: Omit<Registration, "status">,
  capacity: number | undefined,
  now: Date,
  announce: (status: RegistrationStatus) => BusMessage,
  guards: readonly TransactItem[] = [],
): Promise<CreateOutcome> {
  const transaction = newRegistrationTransaction(registration, capacity, now, announce, guards);
  const failed = await transact(transaction.confirmed);
  if (failed === undefined) return { outcome: "created", status: "confirmed" };
  if (failed >= ownItems) return { outcome: "guard-failed", guard: failed - ownItems };
  if (failed === 1) return { outcome: "already-registered" };

  const failedAgain = await transact(transaction.waitlisted);
  if (failedAgain === undefined) {
    return { outcome: "created", status: "waitlisted" };
  }
  if (failedAgain >= ownItems) return { outcome: "guard-failed", guard: failedAgain - ownItems };
  return { outcome: "already-registered" };
}

/**
 * A change that asks for the registrant's next confirmation (a restore, a move) counts it in the
 * registration's own update, conditional on the count as read, and puts the messages that
 * announce it (`announce(next number)`) in the same transaction as outbox items.
 */
function nextConfirmation(
  registration: Pick<Registration, "confirmationNumber">,
  now: Date,
  announce: (confirmationNumber: number) => BusMessage[],
) {
  const next = registration.confirmationNumber + 1;
  return {
    set: "confirmationNumber = :nextConfirmation, lastConfirmationAt = :now",
    condition: "confirmationNumber = :readConfirmation",
    values: { ":nextConfirmation": next, ":readConfirmation": registration.confirmationNumber },
    outbox: announce(next).map((message) => ({
      Put: { TableName: tableName, Item: outboxEntry(message, now).item },
    })),
  };
}

/** What became of a restore or a move: the new status, or why nothing changed. */
export type PlaceOutcome =
  | { outcome: "placed"; status: "confirmed" | "waitlisted" }
  | { outcome: "changed-meanwhile" }
  | { outcome: "email-taken" };

/**
 * Gives a cancelled registration its place back, in one transaction per try: the registration
 * (only if still cancelled), its (event, email) uniqueness item (unless that address registered
 * again since), and the session's counter: a seat if one is free and nobody waits, else the
 * waiting list; with the messages `announce` makes (the new confirmation) in the outbox.
 */
export async function restoreRegistration(
  registration: Registration,
  capacity: number | undefined,
  now: Date,
  announce: (confirmationNumber: number) => BusMessage[],
): Promise<PlaceOutcome> {
  const counters = sessionCounterUpdates(registration.eventId, registration.sessionId, capacity);
  const next = nextConfirmation(registration, now, announce);
  for (const status of ["confirmed", "waitlisted"] as const) {
    const restored: Registration = { ...registration, status, updatedAt: now.toISOString() };
    const failed = await transact([
      {
        Update: {
          TableName: tableName,
          Key: keys.registration(registration.registrationId),
          UpdateExpression: `SET #status = :status, updatedAt = :now, gsi1sk = :gsi1sk, ${next.set} REMOVE cancelledAt, cancelledFrom`,
          ConditionExpression: `#status = :cancelled AND ${next.condition}`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":status": status,
            ":cancelled": "cancelled",
            ":now": now.toISOString(),
            ":gsi1sk": keys.registrationIndex(restored).gsi1sk,
            ...next.values,
          },
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.emailLock(registration.eventId, normalizeEmail(registration.email)),
            registrationId: registration.registrationId,
            expiresAt: registration.expiresAt,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      status === "confirmed" ? counters.seat : counters.waitlist,
      ...next.outbox,
    ]);
    if (failed === undefined) return { outcome: "placed", status };
    if (failed === 0) return { outcome: "changed-meanwhile" };
    if (failed === 1) return { outcome: "email-taken" };
  }
  throw new Error("a waiting-list place has no condition that can fail");
}

/**
 * Moves a registration to another session of its event, in one transaction per try: the
 * registration (only from the session and status it was read in), its old session's counter, and
 * the new session's (a seat if one is free and nobody waits there, else its waiting list), with
 * the messages `announce` makes (the new confirmation, the seat left behind) in the outbox. A
 * registrant's own switch (`countSwitch`) also counts it in the registration's `switchCount`.
 */
export async function moveRegistration(
  registration: Registration,
  to: { sessionId: string; capacity: number | undefined },
  now: Date,
  announce: (confirmationNumber: number) => BusMessage[],
  { countSwitch = false } = {},
): Promise<PlaceOutcome> {
  if (registration.status === "cancelled") return { outcome: "changed-meanwhile" };
  const counters = sessionCounterUpdates(registration.eventId, to.sessionId, to.capacity);
  const next = nextConfirmation(registration, now, announce);
  // Absolute rather than ADD: the update is conditional on the confirmation number as read.
  const switched = countSwitch
    ? { set: ", switchCount = :switchCount", values: { ":switchCount": (registration.switchCount ?? 0) + 1 } }
    : { set: "", values: {} };
  for (const status of ["confirmed", "waitlisted"] as const) {
    const moved: Registration = {
      ...registration,
      sessionId: to.sessionId,
      status,
      updatedAt: now.toISOString(),
    };
    const index = keys.registrationIndex(moved);
    const failed = await transact([
      {
        Update: {
          TableName: tableName,
          Key: keys.registration(registration.registrationId),
          UpdateExpression: `SET sessionId = :to, #status = :status, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, ${next.set}${switched.set}`,
          ConditionExpression: `#status = :current AND sessionId = :from AND ${next.condition}`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":to": to.sessionId,
            ":from": registration.sessionId,
            ":status": status,
            ":current": registration.status,
            ":now": now.toISOString(),
            ":gsi1pk": index.gsi1pk,
            ":gsi1sk": index.gsi1sk,
            ...next.values,
            ...switched.values,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: keys.sessionCounters(registration.eventId, registration.sessionId),
          UpdateExpression: `ADD ${registration.status} :minusOne`,
          ExpressionAttributeValues: { ":minusOne": -1 },
        },
      },
      status === "confirmed" ? counters.seat : counters.waitlist,
      ...next.outbox,
    ]);
    if (failed === undefined) return { outcome: "placed", status };
    if (failed === 0) return { outcome: "changed-meanwhile" };
  }
  throw new Error("a waiting-list place has no condition that can fail");
}

/** What a registrant may correct of their registration (never its email, session or status). */
export type Correction = Partial<
  Pick<
    Registration,
    | "firstName"
    | "lastName"
    | "organisation"
    | "organisationType"
    | "country"
    | "city"
    | "jobTitle"
    | "department"
    | "answers"
  >
>;

/**
 * Writes a registrant's correction in one conditional update: each field given is set, each given
 * as `undefined` (left empty) removed. Only on the registration as read (same `updatedAt`, not
 * being erased), so a correction sent from a page older than another change never undoes it.
 * False when the registration changed (nothing written).
 */
export async function correctRegistration(
  registration: Registration,
  correction: Correction,
  now: Date,
): Promise<boolean> {
  const fields = Object.entries(correction);
  const names = Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name]));
  const set = fields.flatMap(([, value], index) => (value === undefined ? [] : [`#f${index} = :f${index}`]));
  const removed = fields.flatMap(([, value], index) => (value === undefined ? [`#f${index}`] : []));
  const values = Object.fromEntries(
    fields.flatMap(([, value], index) => (value === undefined ? [] : [[`:f${index}`, value]])),
  );
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.registration(registration.registrationId),
        UpdateExpression: `SET ${["updatedAt = :now", ...set].join(", ")}${removed.length > 0 ? ` REMOVE ${removed.join(", ")}` : ""}`,
        ConditionExpression:
          "updatedAt = :read AND attribute_not_exists(erasingSince) AND attribute_not_exists(erasedAt)",
        ...(fields.length > 0 && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: { ...values, ":now": now.toISOString(), ":read": registration.updatedAt },
      }),
    ),
  );
}

/**
 * A registration as it is now: read strongly consistent (one item, a read unit more), since its
 * readers act on what they find (a mail consumer that found no registration, or its old status,
 * a moment after the write that announced it, would send nothing and never retry).
 */
export async function findRegistration(registrationId: string): Promise<Registration | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.registration(registrationId), ConsistentRead: true }),
  );
  // A registration being erased is gone for everyone else (nobody restores or mails it half-way), and
  // an erased one is a tombstone with no personal field (`shared/privacy/`): neither is a registration.
  return Item && !("erasingSince" in Item) && !("erasedAt" in Item) ? toRegistration(Item) : undefined;
}

export async function findRegistrationByEmail(
  eventId: string,
  email: string,
): Promise<Registration | undefined> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.emailLock(eventId, normalizeEmail(email)),
      ConsistentRead: true,
    }),
  );
  return Item ? findRegistration(emailLockSchema.parse(Item).registrationId) : undefined;
}

/**
 * Counts one more confirmation for a registrant who registered again, unless one was asked for
 * less than `minimumGapMs` ago, in one transaction with the message that asks for it
 * (`announce(number)`) in the outbox. Conditional on the confirmation number as read, so two
 * requests at once count one. False when too soon (nothing written).
 */
export async function requestConfirmationResend(
  registration: Pick<Registration, "registrationId" | "confirmationNumber">,
  now: Date,
  minimumGapMs: number,
  announce: (confirmationNumber: number) => BusMessage,
): Promise<boolean> {
  const next = registration.confirmationNumber + 1;
  const outbox = outboxEntry(announce(next), now);
  const failed = await transact([
    {
      Update: {
        TableName: tableName,
        Key: keys.registration(registration.registrationId),
        UpdateExpression: "SET lastConfirmationAt = :now, confirmationNumber = :next",
        ConditionExpression:
          "confirmationNumber = :read AND (attribute_not_exists(lastConfirmationAt) OR lastConfirmationAt < :since)",
        ExpressionAttributeValues: {
          ":now": now.toISOString(),
          ":since": new Date(now.getTime() - minimumGapMs).toISOString(),
          ":read": registration.confirmationNumber,
          ":next": next,
        },
      },
    },
    { Put: { TableName: tableName, Item: outbox.item } },
  ]);
  return failed === undefined;
}

/**
 * Cancels in one transaction: the registration's status (only from the status it was read in,
 * so two cancels never both count), the uniqueness item (the person may register again later),
 * and the session counter, with `announce(previous status)` in the outbox. False when it was
 * already cancelled (nothing written).
 */
export async function cancelRegistration(
  registration: Registration,
  now: Date,
  announce: (previousStatus: "confirmed" | "waitlisted") => BusMessage,
): Promise<boolean> {
  if (registration.status === "cancelled") return false;
  const outbox = outboxEntry(announce(registration.status), now);
  const cancelled: Registration = {
    ...registration,
    status: "cancelled",
    cancelledAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const failed = await transact([
    {
      Update: {
        TableName: tableName,
        Key: keys.registration(registration.registrationId),
        UpdateExpression:
          "SET #status = :cancelled, cancelledFrom = :previous, cancelledAt = :now, updatedAt = :now, gsi1sk = :gsi1sk",
        ConditionExpression: "#status = :previous",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":cancelled": "cancelled",
          ":previous": registration.status,
          ":now": now.toISOString(),
          ":gsi1sk": keys.registrationIndex(cancelled).gsi1sk,
        },
      },
    },
    {
      Delete: {
        TableName: tableName,
        Key: keys.emailLock(registration.eventId, normalizeEmail(registration.email)),
        ConditionExpression: "registrationId = :id",
        ExpressionAttributeValues: { ":id": registration.registrationId },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: keys.sessionCounters(registration.eventId, registration.sessionId),
        UpdateExpression: `ADD ${registration.status} :minusOne`,
        ExpressionAttributeValues: { ":minusOne": -1 },
      },
    },
    { Put: { TableName: tableName, Item: outbox.item } },
  ]);
  return failed === undefined;
}

/**
 * Gives a free seat to the oldest waitlisted registrant of a session, in one transaction that
 * re-checks the seat (capacity) and the registrant's status, session and confirmation number, with
 * `announce(registration)` in the outbox. Returns the promoted registration, or `undefined` when
 * nobody waits or no seat is free.
 * The index lags the table (on AWS): each candidate it gives is read again from the table, and
 * one no longer waiting here (just promoted, moved, cancelled) is passed over for the next rather
 * than tried again and again. And when it gives nobody while the session's counter says somebody
 * waits and a seat is free (a registrant waitlisted a moment ago), it is asked again for up to
 * five seconds: a seat is not left free while someone waits.
 */
export async function promoteOldestWaitlisted(
  eventId: string,
  sessionId: string,
  capacity: number | undefined,
  now: Date,
  announce: (registration: Registration) => BusMessage,
): Promise<Registration | undefined> {
  let after: Cursor | undefined;
  for (let lagging = 0; ; ) {
    const page = await listSessionRegistrations(eventId, sessionId, "waitlisted", {
      limit: 1,
      cursor: after,
    });
    const [candidate] = page.registrations;
    if (!candidate) {
      const counters = await getSessionCounters(eventId, sessionId, true);
      const seatFree = capacity === undefined || counters.confirmed < capacity;
      // Five seconds at most (an index lags far less): a counter that went wrong must not hold
      // every step of the session's waiting list.
      if (counters.waitlisted <= 0 || !seatFree || ++lagging > 9) return undefined;
      await sleep(100 * lagging);
      after = undefined;
      continue;
    }
    const oldest = await findRegistration(candidate.registrationId);
    if (oldest?.status !== "waitlisted" || oldest.sessionId !== sessionId) {
      if (!page.cursor) return undefined;
      after = page.cursor;
      continue;
    }
    const promoted: Registration = { ...oldest, status: "confirmed", updatedAt: now.toISOString() };
    const outbox = outboxEntry(announce(promoted), now);
    const failed = await transact([
      {
        Update: {
          TableName: tableName,
          Key: keys.registration(oldest.registrationId),
          UpdateExpression: "SET #status = :confirmed, updatedAt = :now, gsi1sk = :gsi1sk",
          // As read: still waiting here, with the confirmation number its promotion mail is
          // numbered by (a move or a restore since counts one).
          ConditionExpression:
            "#status = :waitlisted AND sessionId = :session AND confirmationNumber = :number",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":confirmed": "confirmed",
            ":waitlisted": "waitlisted",
            ":session": sessionId,
            ":number": oldest.confirmationNumber,
            ":now": now.toISOString(),
            ":gsi1sk": keys.registrationIndex(promoted).gsi1sk,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: keys.sessionCounters(eventId, sessionId),
          UpdateExpression: "ADD confirmed :one, waitlisted :minusOne",
          ...(capacity !== undefined
            ? {
                ConditionExpression: "attribute_not_exists(confirmed) OR confirmed < :capacity",
                ExpressionAttributeValues: { ":one": 1, ":minusOne": -1, ":capacity": capacity },
              }
            : { ExpressionAttributeValues: { ":one": 1, ":minusOne": -1 } }),
        },
      },
      { Put: { TableName: tableName, Item: outbox.item } },
    ]);
    if (failed === undefined) return promoted;
    if (failed === 1) return undefined; // no free seat
    // Changed between the read and the write: read it again (same place in the index).
  }
}

const countersSchema = z.object({
  confirmed: z.number().int().default(0),
  waitlisted: z.number().int().default(0),
  /** Registrants whose data was erased: only this number of them is kept. */
  erased: z.number().int().default(0),
});
export type SessionCounters = z.infer<typeof countersSchema>;

export async function getSessionCounters(
  eventId: string,
  sessionId: string,
  consistent = false,
): Promise<SessionCounters> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.sessionCounters(eventId, sessionId),
      ConsistentRead: consistent,
    }),
  );
  return countersSchema.parse(Item ?? {});
}

export type Cursor = Record<string, unknown>;

/** One page of a session's registrations (of one status, oldest first), read with a Query on gsi1. */
export async function listSessionRegistrations(
  eventId: string,
  sessionId: string,
  status: RegistrationStatus | undefined,
  page: { limit?: number; cursor?: Cursor } = {},
): Promise<{ registrations: Registration[]; cursor?: Cursor }> {
  const { gsi1pk, gsi1skPrefix } = keys.sessionRegistrations(eventId, sessionId, status);
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
      ExpressionAttributeValues: { ":pk": gsi1pk, ":prefix": gsi1skPrefix },
      Limit: page.limit,
      ExclusiveStartKey: page.cursor,
    }),
  );
  return { registrations: (Items ?? []).map(toRegistration), cursor: LastEvaluatedKey };
}

/** Every registration of a session (of one status, if given), read page by page. */
export async function allSessionRegistrations(
  eventId: string,
  sessionId: string,
  status?: RegistrationStatus,
): Promise<Registration[]> {
  const registrations: Registration[] = [];
  let cursor: Cursor | undefined;
  do {
    const page = await listSessionRegistrations(eventId, sessionId, status, { cursor });
    registrations.push(...page.registrations);
    cursor = page.cursor;
  } while (cursor);
  return registrations;
}
