import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { type BusMessage, busMessageSchema } from "../bus/define-event.ts";
import { readConfig } from "../config.ts";
import { claimTimes, type SendingClaim } from "./take-over.ts";

/**
 * Leases instead of eternal claims. A step of long work (a mailing's dispatch or batch, a reminder
 * being sent, a delivery being mailed) holds a lease on its item until a time: the step's
 * remaining time plus a margin, as Powertools' idempotency expires its in-progress records. While
 * the lease runs, duplicates leave the work to its holder; once it has expired, the holder is
 * known to be dead (a Lambda cannot outlive its remaining time), and a retry, a duplicate or the
 * sweeper takes the work over. A lease may carry the bus message that resumes its step from its
 * cursor: such an item sits in gsi1 under `LEASES` until the step drops the lease.
 */
export interface Lease {
  until: Date;
  /** The message that runs the step again from where it is, published by the sweeper on expiry. */
  resume?: BusMessage;
}

/**
 * The local runtime runs every function in one process and sets this to its start time: a lease
 * taken by an earlier run (an older epoch) is dead whatever its expiry, so a restart resumes at
 * once. Unset on AWS, where Lambda instances have no shared life: there, only expiry counts.
 */
const { CONVENE_LEASE_EPOCH: epoch } = readConfig({
  CONVENE_LEASE_EPOCH: z.coerce.number().int().nonnegative().default(0),
});

/** What a lease adds to the time a step has left: the writes after its last send, and clock skew. */
export const leaseMarginMs = 30_000;

/**
 * How long a step that handed on (published the next step) waits for that step to start before
 * the sweeper publishes it again: the bus's own retries come first.
 */
export const handOnGraceMs = 120_000;

/** A lease for a step with `timeLeftMs` to run. */
export const leaseFor = (timeLeftMs: number, resume?: BusMessage, now = new Date()): Lease => ({
  until: new Date(now.getTime() + timeLeftMs + leaseMarginMs),
  ...(resume && { resume }),
});

/** A lease held between steps: the next one should start within `handOnGraceMs`. */
export const handOnLease = (resume: BusMessage, now = new Date()): Lease => ({
  until: new Date(now.getTime() + handOnGraceMs),
  resume,
});

/** The attributes of an item holding `lease`, for a PutItem. */
export function leaseAttributes(key: TableKey, lease: Lease) {
  const leaseUntil = lease.until.toISOString();
  return {
    leaseUntil,
    ...(epoch > 0 && { leaseEpoch: epoch }),
    ...(lease.resume && { ...keys.leaseIndex(key, leaseUntil), resume: lease.resume }),
  };
}

/** The `UpdateExpression` parts that set `lease` on an item (to join with the update's own). */
export function setLease(key: TableKey, lease: Lease) {
  const attributes = leaseAttributes(key, lease);
  const names = Object.keys(attributes);
  return {
    set: names.map((name) => `${name} = :lease_${name}`).join(", "),
    remove: lease.resume ? undefined : "gsi1pk, gsi1sk, resume",
    values: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [`:lease_${name}`, value])),
  };
}

/** The attributes a step removes when it drops its lease (finished, cancelled, outcome recorded). */
export const leaseAttributesToRemove = "leaseUntil, leaseEpoch, gsi1pk, gsi1sk, resume";

/**
 * The condition that no one holds a live lease on the item at `now`: none, or it expired before
 * `now`, or (locally) it was taken by an earlier run. `prefix` names the placeholders, so that
 * one condition can hold two of these.
 */
export function leaseFree(now: Date, prefix = "lease") {
  const nowName = `:${prefix}_now`;
  const epochName = `:${prefix}_epoch`;
  // An earlier run's lease is dead from this run's start on (`takeOverAt`): not before.
  return epoch > 0 && now.getTime() >= epoch
    ? {
        condition: `(attribute_not_exists(leaseUntil) OR leaseUntil < ${nowName} OR leaseEpoch < ${epochName})`,
        values: { [nowName]: now.toISOString(), [epochName]: epoch },
      }
    : {
        condition: `(attribute_not_exists(leaseUntil) OR leaseUntil < ${nowName})`,
        values: { [nowName]: now.toISOString() },
      };
}

/**
 * How long a `sending` delivery claim whose sender may have sent is left alone after its lease
 * expired, before anyone takes it over and sends again: long enough for SES's `Email Sent` event
 * (published with the delivery's tag, see `recordSendEvents`) to mark it sent if SES took the
 * mail. On AWS, 120 s: SES publishes its sending events within seconds as a rule (best effort,
 * no stated bound), EventBridge puts them on `record-feedback`'s queue, which Lambda reads within
 * a second, and a record that failed is given again once the queue's visibility timeout (a
 * minute: six times the function's 10 s) is over, so two minutes cover one retry.
 * Only crashed sends wait for it (a few minutes more for a mail that may never have gone out).
 * The local runtime sets a few seconds (its SES publishes the event a quarter of a second after
 * it answers, kept on disk until delivered, its queue hands it over within a tenth of a second,
 * and a restart delivers SES's events before it resumes any step).
 */
export const sendEventGraceMs = readConfig({
  CONVENE_SEND_EVENT_GRACE_MS: z.coerce.number().int().nonnegative().default(120_000),
}).CONVENE_SEND_EVENT_GRACE_MS;

/** The rule of {@link claimTimes} with this process's grace and epoch. */
export const claimTimesHere = (claim: SendingClaim) =>
  claimTimes(claim, { graceMs: sendEventGraceMs, epoch });

/**
 * Renews the lease of a step on a `sending` mailing or reminder (whose item has a `status`), moving
 * its cursor on with `lease.resume`. False when the item is no longer sending (finished or
 * cancelled meanwhile): the step then has nothing more to do.
 */
export async function renewStepLease(key: TableKey, lease: Lease): Promise<boolean> {
  const { set, remove, values } = setLease(key, lease);
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${set}${remove ? ` REMOVE ${remove}` : ""}`,
        ConditionExpression: "#status = :sending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ...values, ":sending": "sending" },
      }),
    ),
  );
}

export const expiredLeaseSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  gsi1sk: z.string(),
  resume: busMessageSchema,
  /** An outbox item: deleted once its message is published. */
  relayOnce: z.boolean().optional(),
});

/**
 * Takes an expired lease to resume its step: its place in the sweeper's index moves
 * `handOnGraceMs` on (so the next sweeps leave the resumed step alone), conditionally on it being
 * still as it was read, so two sweepers resume a step once. The lease itself stays expired, for
 * the resumed step to take over. False when someone else renewed or dropped it first.
 */
export async function takeOver(expired: z.infer<typeof expiredLeaseSchema>, now: Date): Promise<boolean> {
  const key = { pk: expired.pk, sk: expired.sk };
  const { gsi1sk } = keys.leaseIndex(key, new Date(now.getTime() + handOnGraceMs).toISOString());
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET gsi1sk = :next",
        ConditionExpression: "gsi1sk = :read",
        ExpressionAttributeValues: { ":next": gsi1sk, ":read": expired.gsi1sk },
      }),
    ),
  );
}
