import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchGet } from "../aws/batch-get.ts";
import { batchedPuts } from "../aws/batch-write.ts";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { gathered } from "../aws/gather.ts";
import { keyString, keys, type TableKey } from "../aws/table.ts";
import { transactEach } from "../aws/transact.ts";
import {
  claimTimesHere,
  type Lease,
  leaseAttributes,
  leaseAttributesToRemove,
  leaseFree,
  sendEventGraceMs,
  setLease,
} from "./lease.ts";
import { sendingClaimSchema } from "./take-over.ts";

/** A `sending` claim as `ReturnValuesOnConditionCheckFailure` returns it (attribute values, unconverted). */
const heldClaimSchema = z
  .object({
    state: z.object({ S: z.string() }),
    leaseUntil: z.object({ S: z.string() }).optional(),
    leaseEpoch: z.object({ N: z.coerce.number() }).optional(),
    unsent: z.object({ BOOL: z.boolean() }).optional(),
  })
  .transform((item) => ({
    state: item.state.S,
    leaseUntil: item.leaseUntil?.S,
    leaseEpoch: item.leaseEpoch?.N,
    unsent: item.unsent?.BOOL,
  }));

/** What claiming a delivery found: `claimed`, or the delivery is someone else's until `takeOverAt`. */
export type Claim =
  | { claimed: true }
  | {
      claimed: false;
      /**
       * When a `sending` claim whose lease has ended (its sender is dead) may be taken over; absent
       * when the delivery has an outcome or a live claim.
       */
      takeOverAt?: Date;
      /** When the live claim of another sender ends, if that is what was found. */
      heldUntil?: Date;
    };

/** One claim to write: what `claimDelivery` is given. */
interface ClaimRequest {
  key: TableKey;
  state: "sending" | "suppressed";
  now: Date;
  lease: Lease;
  expiresAt: number | undefined;
}

/**
 * How long a claim among others (a page of a step) waits for the claims around it to share one
 * transaction: at 100 mails a second, ten claims a request instead of one each (~1.3 ms less of
 * the sender's CPU a mail, measured locally). A claim's wait only delays its own send, which
 * then waits for a sending slot anyway (`sendConcurrency` counts it in a recipient's time).
 */
const claimWindowMs = 100;

/**
 * The claims of a step's sends, gathered: one transaction of independent writes for those that
 * arrive together, each answered on its own. A batch of one is a PutItem: a transaction's write
 * costs twice the write units of a single one on AWS, worth it only when it saves requests.
 * Pure: a function that never claims (one that only reads deliveries) leaves it out of its bundle.
 */
const claimTogether = /* @__PURE__ */ gathered({
  windowMs: claimWindowMs,
  maxSize: 25,
  keyOf: ({ key }: ClaimRequest) => keyString(key),
  write: async (requests) => {
    if (requests.length === 1) return [await claimAlone(requests[0] as ClaimRequest)];
    const writes = await transactEach(requests.map((request) => ({ Put: claimPut(request) })));
    return writes.map((write): Claim => (write.written ? { claimed: true } : claimHeld(write.found)));
  },
});

/**
 * The conditional write that makes a delivery happen at most once: it succeeds on a new delivery,
 * or on a claim still `sending` whose sender died between claim and outcome, which it takes over
 * (`takeOverAt` in `lease.ts`): at once when that sender released it knowing nothing went out,
 * else once SES's send event had time to record a mail that did go out. When it fails on a
 * `sending` claim, says when that claim may be taken over.
 *
 * A claim among others (`alone: false`, a page of a step) is gathered with the claims around it
 * into one transaction of independent writes (`transactEach`): each is still its own conditional
 * write, answered on its own. A claim `alone` (a single mail) is one PutItem, with nobody to wait for.
 */
export async function claimDelivery(
  key: TableKey,
  state: "sending" | "suppressed",
  now: Date,
  lease: Lease,
  { expiresAt, alone }: { expiresAt?: number; alone: boolean },
): Promise<Claim> {
  const request = { key, state, now, lease, expiresAt };
  return alone ? claimAlone(request) : claimTogether(request);
}

async function claimAlone(request: ClaimRequest): Promise<Claim> {
  try {
    await db.send(new PutCommand(claimPut(request)));
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return claimHeld(error.Item);
  }
}

/** The claim's conditional put: a new delivery, or a dead sender's claim taken over. */
function claimPut({ key, state, now, lease, expiresAt }: ClaimRequest) {
  const free = leaseFree(now);
  const afterGrace = leaseFree(new Date(now.getTime() - sendEventGraceMs), "grace");
  return {
    TableName: tableName,
    Item: {
      ...key,
      state,
      claimedAt: now.toISOString(),
      expiresAt,
      ...(state === "sending" && leaseAttributes(key, lease)),
    },
    ConditionExpression: `attribute_not_exists(pk) OR (#state = :sending AND ((#unsent = :true AND ${free.condition}) OR ${afterGrace.condition}))`,
    ExpressionAttributeNames: { "#state": "state", "#unsent": "unsent" },
    ExpressionAttributeValues: {
      ":sending": "sending",
      ":true": true,
      ...free.values,
      ...afterGrace.values,
    },
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
}

/**
 * A claim that failed on `found`: someone else's, and when a dead sender's may be taken over.
 * Whether the lease has ended is judged at the answer, not when the claim was asked for (a
 * gathered claim waits up to `claimWindowMs`).
 */
function claimHeld(found: unknown): Claim {
  const read = heldClaimSchema.safeParse(found);
  const held = sendingClaimSchema.safeParse(read.data);
  if (!held.success) return { claimed: false };
  // A live lease is its sender's, whatever its grace: only a dead sender's claim is waited for.
  const { leaseEnded, takeOverAt } = claimTimesHere(held.data);
  return leaseEnded <= new Date()
    ? { claimed: false, takeOverAt }
    : { claimed: false, heldUntil: leaseEnded };
}

/**
 * The client of the outcome's write, the one write inside the window for a duplicate (SES accepted
 * the message, the record does not say so yet): a client of its own, so that this write never
 * waits for one of the 50 sockets of the shared client behind the claims, reads and counts of the
 * other sends in flight (a page of 60 at 100/s, or a restart resuming a hundred confirmations).
 */
let outcomeClient: DynamoDBDocumentClient | undefined;
const outcomeDb = () => {
  outcomeClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return outcomeClient;
};

/**
 * Records a refusal (`rejected`) and drops the lease, right after the send: rare, one write each.
 */
export async function recordDelivery(key: TableKey, fields: Record<string, string>): Promise<void> {
  const names = Object.keys(fields);
  await outcomeDb().send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(", ")} REMOVE unsent, ${leaseAttributesToRemove}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
    }),
  );
}

/**
 * How long a sent mail's outcome waits for others to share its write: at 100 mails a second, ten
 * outcomes a BatchWriteItem instead of ten UpdateItems (a request less per mail, for the sender
 * and for DynamoDB). The window it adds to the one a crash may leave a `sending` claim in is
 * SES's send event's to close, as for a crash right after the send (`recordSendEvents`).
 */
const sentOutcomeWindowMs = 100;

let putSent: ((item: Record<string, unknown> & TableKey) => Promise<void>) | undefined;

/**
 * Records that a claimed delivery was sent: the whole record (the claim's fields without its
 * lease, `sent`, SES's message id), put without condition as the update it replaces was (no one
 * else writes a live claim but its sender, and SES's event writes the same outcome). The outcome
 * of a send among others (a page of a step) is batched with theirs; a mail sent `alone` (a
 * confirmation: one per invocation) is written at once, having nobody to wait for. Resolves once
 * written.
 */
export async function recordSent(
  key: TableKey,
  sent: { claimedAt: Date; expiresAt: number | undefined; messageId: string; sentAt: Date },
  { alone }: { alone: boolean },
): Promise<void> {
  const item = {
    ...key,
    state: "sent",
    claimedAt: sent.claimedAt.toISOString(),
    ...(sent.expiresAt !== undefined && { expiresAt: sent.expiresAt }),
    messageId: sent.messageId,
    sentAt: sent.sentAt.toISOString(),
  };
  if (alone) {
    await outcomeDb().send(new PutCommand({ TableName: tableName, Item: item }));
    return;
  }
  putSent ??= batchedPuts(outcomeDb(), sentOutcomeWindowMs);
  await putSent(item);
}

/**
 * Lets a send that failed for a passing reason be retried: the claim's lease is set to end now
 * (`lease.until`), so the retry (or, for a claim that carries its resume message, the sweeper)
 * takes it over. `unsent` says that nothing went out (the send never began, or SES answered with
 * a refusal): the claim is then taken over at once; otherwise (the connection failed, SES's answer
 * was lost) SES may have taken the mail, and the take-over waits for its send event.
 */
export async function releaseDelivery(key: TableKey, lease: Lease, unsent: boolean): Promise<void> {
  const { set, values } = setLease(key, lease);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${set}, #unsent = :unsent`,
      ExpressionAttributeNames: { "#unsent": "unsent" },
      ExpressionAttributeValues: { ...values, ":unsent": unsent },
    }),
  );
}

/** The one attribute the send events' read takes of a delivery record (with its keys). */
const deliveryStateSchema = z.object({ pk: z.string(), sk: z.string(), state: z.string() });

/**
 * Which of these deliveries are still `sending` claims, read strongly consistent (one
 * BatchGetItem per 100, so a claim just written is seen): SES's send events ask it before marking
 * any sent, and a reminder step that met another copy's live claims asks it to know whether that
 * copy is done with them.
 */
export async function stillSending(deliveries: readonly TableKey[]): Promise<TableKey[]> {
  if (deliveries.length === 0) return [];
  const items = await batchGet(deliveries, { consistent: true, attributes: ["state"] });
  return items.flatMap((item) => {
    const record = deliveryStateSchema.safeParse(item);
    return record.success && record.data.state === "sending"
      ? [{ pk: record.data.pk, sk: record.data.sk }]
      : [];
  });
}

/** What SES's `Email Sent` event says of a delivery: its record, SES's message id and time. */
export interface SendEvent {
  key: TableKey;
  messageId: string;
  sentAt: string;
}

/**
 * Records SES's `Email Sent` events on the deliveries their tags name: `sent`, with SES's message
 * id, only while a delivery is still a `sending` claim (its sender died before recording the
 * outcome, or has yet to): an outcome already recorded is never overwritten, and an event for a
 * record that does not exist (deleted with its registration) changes nothing. Settles per event:
 * true if recorded, false if not, or the error of its write.
 *
 * SES publishes the event seconds after it took the mail, by when the sender has nearly always
 * recorded `sent` itself: the records of a whole batch of events are read first, in one
 * BatchGetItem (strongly consistent, so a claim just written is seen), and only those still
 * `sending` are written, with the same condition. A failed conditional write is billed as a write
 * (and locally costs DynamoDB Local about as much as one); a read is a fifth of that price.
 */
export async function recordSendEvents(
  events: readonly SendEvent[],
): Promise<PromiseSettledResult<boolean>[]> {
  let sending: Set<string>;
  try {
    sending = new Set((await stillSending(events.map((event) => event.key))).map(keyString));
  } catch (error) {
    // The read failed: every event of it fails (and is given again), nothing else of the batch.
    return events.map(() => ({ status: "rejected", reason: error }));
  }
  return Promise.allSettled(
    events.map(
      async ({ key, messageId, sentAt }) => sending.has(keyString(key)) && markSent(key, messageId, sentAt),
    ),
  );
}

/** A `sending` claim marked sent by SES's event; false if it is no longer a claim. */
const markSent = (key: TableKey, messageId: string, sentAt: string) =>
  unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET #state = :sent, messageId = :messageId, sentAt = :sentAt REMOVE unsent, ${leaseAttributesToRemove}`,
        ConditionExpression: "#state = :sending",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: {
          ":sent": "sent",
          ":sending": "sending",
          ":messageId": messageId,
          ":sentAt": sentAt,
        },
      }),
    ),
  );

const deliveryRecordSchema = z.object({
  sk: z.string(),
  state: z.enum(["sending", "sent", "suppressed", "rejected"]),
  claimedAt: z.string(),
  sentAt: z.string().optional(),
  reason: z.string().optional(),
});

/** What was mailed to a registrant about their registration, oldest first: kind, number, outcome. */
export async function registrationDeliveries(registrationId: string) {
  const { pk, skPrefix } = keys.registrationDeliveries(registrationId);
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
  });
  return items
    .map((item) => {
      const record = deliveryRecordSchema.parse(item);
      // MAIL#<kind>#<n>: the kind (confirmation, reminder-P1D…) and which one of that kind.
      const [, kind = "", number = "1"] = record.sk.split("#");
      return {
        kind,
        number: Number(number),
        state: record.state,
        at: record.sentAt ?? record.claimedAt,
        ...(record.reason && { reason: record.reason }),
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}
