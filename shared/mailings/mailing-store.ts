import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchWrite } from "../aws/batch-write.ts";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import type { BusMessage } from "../bus/define-event.ts";
import {
  type Lease,
  leaseAttributesToRemove,
  leaseFree,
  renewStepLease,
  setLease,
} from "../deliveries/lease.ts";
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import {
  type Mailing,
  type MailingStatus,
  mailingSchema,
  type Recipient,
  recipientSchema,
} from "./mailing.ts";

export type { Mailing, MailingStatus, Recipient } from "./mailing.ts";

const toMailing = (item: Record<string, unknown>): Mailing => mailingSchema.parse(item);
const recipientsPageSchema = z.object({ recipients: z.array(recipientSchema) });

export async function saveDraft(mailing: Mailing): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.mailing(mailing.eventId, mailing.mailingId), ...mailing },
    }),
  );
}

/** Every mailing of an event: one Query on the event's partition. */
export async function listEventMailings(eventId: string): Promise<Mailing[]> {
  const { pk, skPrefix } = keys.eventMailings(eventId);
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
  });
  return items.map(toMailing);
}

/** A conflict naming the mailing's current status, for a change only a draft allows. */
async function notADraft(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  action: string,
): Promise<ConflictError> {
  const current = await getMailing(mailing.eventId, mailing.mailingId);
  return new ConflictError(
    `mailing-${current.status}`,
    `this mailing is ${current.status}: only a draft can be ${action}`,
  );
}

/** Replaces a draft's settings and its recipient count, only while it is a draft (409 otherwise). */
export async function updateDraftItem(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  settings: Pick<Mailing, "name" | "segment" | "subject" | "body" | "links" | "recipients">,
  now: Date,
): Promise<void> {
  const updated = await unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression:
          "SET #name = :name, #segment = :segment, subject = :subject, body = :body, recipients = :recipients, updatedAt = :now" +
          (settings.links === undefined ? " REMOVE links" : ", links = :links"),
        ConditionExpression: "#status = :draft",
        ExpressionAttributeNames: { "#name": "name", "#segment": "segment", "#status": "status" },
        ExpressionAttributeValues: {
          ":name": settings.name,
          ":segment": settings.segment,
          ":subject": settings.subject,
          ":body": settings.body,
          ":recipients": settings.recipients,
          ":now": now.toISOString(),
          ":draft": "draft",
          ...(settings.links !== undefined && { ":links": settings.links }),
        },
      }),
    ),
  );
  if (!updated) throw await notADraft(mailing, "edited");
}

/** Deletes a draft, only while it is a draft (409 otherwise). */
export async function deleteDraftItem(mailing: Pick<Mailing, "eventId" | "mailingId">): Promise<void> {
  const deleted = await unlessConditionFails(
    db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        ConditionExpression: "#status = :draft",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":draft": "draft" },
      }),
    ),
  );
  if (!deleted) throw await notADraft(mailing, "deleted");
}

export async function getMailing(eventId: string, mailingId: string): Promise<Mailing> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.mailing(eventId, mailingId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFoundError(`there is no mailing "${mailingId}" in the event "${eventId}"`);
  return toMailing(Item);
}

/**
 * Moves a mailing from one status to another, only from the statuses given (a conditional write):
 * a mailing is sent at most once, and a sent one cannot be cancelled. False when it was in another
 * status. A mailing that starts sending takes `lease` (whose message starts its dispatch) in the
 * same write, so that a crash before the message is published leaves it for the sweeper; any
 * other move drops the lease, and the mailing leaves the sweeper's index.
 */
export async function moveStatus(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  from: readonly MailingStatus[],
  to: MailingStatus,
  now: Date,
  lease?: Lease,
  /** Counts set in the same write (a finished mailing's, from its delivery records). */
  counts?: MailingCounts,
): Promise<boolean> {
  const key = keys.mailing(mailing.eventId, mailing.mailingId);
  const leased = lease && setLease(key, lease);
  const setCounted = counts ? ", sent = :sent, skipped = :skipped, failed = :failed" : "";
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: leased
          ? `SET #status = :to, updatedAt = :now${setCounted}, ${leased.set}`
          : `SET #status = :to, updatedAt = :now${setCounted} REMOVE ${leaseAttributesToRemove}`,
        ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":to": to,
          ":now": now.toISOString(),
          ...(counts && { ":sent": counts.sent, ":skipped": counts.skipped, ":failed": counts.failed }),
          ...leased?.values,
          ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
        },
      }),
    ),
  );
}

/** `moveStatus` for an organiser's request: a mailing in another status is a conflict naming it. */
export async function changeStatus(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  from: readonly MailingStatus[],
  to: MailingStatus,
  now: Date,
  lease?: Lease,
): Promise<void> {
  if (await moveStatus(mailing, from, to, now, lease)) return;
  const current = await getMailing(mailing.eventId, mailing.mailingId);
  throw new ConflictError(
    `mailing-${current.status}`,
    `this mailing is ${current.status}: it cannot become ${to} (only from ${from.join(" or ")})`,
  );
}

/**
 * Lets one `mailing.requested` event, and its own retries, dispatch a mailing, holding `lease`: a
 * duplicate of the event (another id) finds the mailing taken and does nothing, so there is one
 * chain of batches, until the lease has expired (the dispatcher died, or the chain stopped): then
 * the event the sweeper published again takes it over.
 */
export async function claimDispatch(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  busEventId: string,
  lease: Lease,
  now = new Date(),
): Promise<boolean> {
  const key = keys.mailing(mailing.eventId, mailing.mailingId);
  const leased = setLease(key, lease);
  const free = leaseFree(now);
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET dispatchedBy = :id, ${leased.set}`,
        ConditionExpression: `#status = :sending AND (attribute_not_exists(dispatchedBy) OR dispatchedBy = :id OR ${free.condition})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":id": busEventId,
          ":sending": "sending",
          ...leased.values,
          ...free.values,
        },
      }),
    ),
  );
}

/** Renews a sending mailing's lease whatever step holds it; false once it is no longer sending. */
export const renewLeaseOfSending = (mailing: Pick<Mailing, "eventId" | "mailingId">, lease: Lease) =>
  renewStepLease(keys.mailing(mailing.eventId, mailing.mailingId), lease);

/** The message that resumes a sending mailing where its lease says, if it holds one. */
export async function resumeMessageOf(mailing: Pick<Mailing, "eventId" | "mailingId">) {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.mailing(mailing.eventId, mailing.mailingId),
      ProjectionExpression: "#resume",
      ExpressionAttributeNames: { "#resume": "resume" },
      ConsistentRead: true,
    }),
  );
  return resumeSchema.parse(Item ?? {}).resume as BusMessage | undefined;
}

const resumeSchema = z.object({
  resume: z.object({ detailType: z.string().min(1), detail: z.unknown() }).optional(),
});

/** Recipients are stored in pages of this many; one `mailing.batch` step mails one page. */
export const recipientsPerPage = 250;

/**
 * Fixes the list of recipients when sending starts, once: the pages are written with
 * BatchWriteItem, then the mailing records how many there are. A duplicated `mailing.requested`
 * finds `pages` set and writes nothing. Returns false when the list was already fixed.
 */
export async function fixRecipients(
  mailing: Mailing,
  recipients: readonly Recipient[],
  now: Date,
  /**
   * When DynamoDB's TTL deletes the pages, which name registrants (`shared/privacy/retention.ts`);
   * the dispatch always passes it, tests may leave it out.
   */
  expiresAt?: number,
): Promise<boolean> {
  if (mailing.pages !== undefined) return false;
  const pages = Math.ceil(recipients.length / recipientsPerPage);
  await batchWrite(
    Array.from({ length: pages }, (_, page) => ({
      put: {
        ...keys.mailingRecipients(mailing.mailingId, page),
        recipients: recipients.slice(page * recipientsPerPage, (page + 1) * recipientsPerPage),
        expiresAt,
      },
    })),
  );
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression: "SET pages = :pages, nextPage = :zero, recipients = :count, updatedAt = :now",
        ConditionExpression: "attribute_not_exists(pages)",
        ExpressionAttributeValues: {
          ":pages": pages,
          ":zero": 0,
          ":count": recipients.length,
          ":now": now.toISOString(),
        },
      }),
    ),
  );
}

export async function recipientsPage(mailingId: string, page: number): Promise<Recipient[]> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.mailingRecipients(mailingId, page),
      ConsistentRead: true,
    }),
  );
  return Item ? recipientsPageSchema.parse(Item).recipients : [];
}

/**
 * Sets the lease of the step on the chain's current page, only while the mailing sends and `page`
 * is that page (and, when `handOn`, moves the chain to the next page in the same write). False
 * when that is not the case.
 */
async function leaseChainStep(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  page: number,
  lease: Lease,
  handOn: boolean,
): Promise<boolean> {
  const key = keys.mailing(mailing.eventId, mailing.mailingId);
  const leased = setLease(key, lease);
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${handOn ? "nextPage = :next, " : ""}${leased.set}`,
        ConditionExpression: "nextPage = :page AND #status = :sending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":page": page,
          ":sending": "sending",
          ...(handOn && { ":next": page + 1 }),
          ...leased.values,
        },
      }),
    ),
  );
}

/**
 * Lets exactly one step hand the chain on from `page` to `page + 1`, with the lease of the step it
 * hands on to: a duplicated or retried batch finds `nextPage` already moved and does not start a
 * second chain.
 */
export const claimNextPage = (mailing: Pick<Mailing, "eventId" | "mailingId">, page: number, lease: Lease) =>
  leaseChainStep(mailing, page, lease, true);

/**
 * Renews the mailing's lease for the step on `page`, only while it sends and `page` is the one
 * the chain is on: a late duplicate of an earlier page's step mails nobody twice (the delivery
 * claims see to that) and must not move the lease back. False when that is not the case.
 */
export const renewBatchLease = (
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  page: number,
  lease: Lease,
) => leaseChainStep(mailing, page, lease, false);

/**
 * Adds a step's outcomes to the mailing's counters: one write per step, not one per recipient.
 * Not to a mailing already `sent`: its counts are its delivery records' (`finishMailing`), which a
 * late step (a duplicate resumed after a crash) would otherwise push past the recipients.
 */
export async function addCounts(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  counts: MailingCounts,
): Promise<void> {
  if (counts.sent + counts.skipped + counts.failed === 0) return;
  await unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression: "ADD sent :sent, skipped :skipped, failed :failed",
        ConditionExpression: "#status <> :finished",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":sent": counts.sent,
          ":skipped": counts.skipped,
          ":failed": counts.failed,
          ":finished": "sent",
        },
      }),
    ),
  );
}

export type MailingCounts = { sent: number; skipped: number; failed: number };

/**
 * The mailing's counts from its delivery records, which say each recipient's outcome exactly once
 * (the steps' own counters are for progress and may lag after a crash). `pending` are claims
 * still being sent, or left by a process that died between claim and send.
 */
export async function countDeliveries(mailingId: string): Promise<MailingCounts & { pending: number }> {
  const counts = { sent: 0, skipped: 0, failed: 0, pending: 0 };
  const { pk, sk } = keys.mailingDelivery(mailingId, "");
  const records = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": sk },
    ProjectionExpression: "#state",
    ExpressionAttributeNames: { "#state": "state" },
    ConsistentRead: true,
  });
  for (const { state } of records) {
    if (state === "sent") counts.sent++;
    else if (state === "suppressed") counts.skipped++;
    else if (state === "rejected") counts.failed++;
    else counts.pending++;
  }
  return counts;
}

/**
 * Replaces the mailing's counters with counts read from its delivery records, while it is still
 * `sending`: counts read before the last sends (a resume, a duplicated batch) never overwrite
 * the final ones that `sent` was written with.
 */
export async function setCounts(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  counts: MailingCounts,
): Promise<void> {
  await unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression: "SET sent = :sent, skipped = :skipped, failed = :failed",
        ConditionExpression: "#status = :sending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":sent": counts.sent,
          ":skipped": counts.skipped,
          ":failed": counts.failed,
          ":sending": "sending",
        },
      }),
    ),
  );
}
