import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { batchWrite } from "../aws/batch-write.ts";
import { db, isConditionFailure, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import type { Language } from "../domain/languages.ts";
import { ConflictError, NotFoundError } from "../http/errors.ts";
import type { MailingSettings } from "./content/mailing-input.ts";

export type MailingStatus = "draft" | "sending" | "sent" | "cancelled";

export interface Mailing extends MailingSettings {
  mailingId: string;
  eventId: string;
  status: MailingStatus;
  /** Counted when the draft is made, then fixed when sending starts (the list mailed). */
  recipients: number;
  sent: number;
  skipped: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
  /** Pages of recipients written when sending started; the next page a batch may hand on. */
  pages?: number;
  nextPage?: number;
}

/** Who a mailing goes to: what its text needs of each registrant, fixed when sending starts. */
export interface Recipient {
  registrationId: string;
  email: string;
  firstName: string;
  lastName: string;
  organisation: string;
  language: Language;
  sessionId: string;
}

const toMailing = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => item as unknown as Mailing;

export async function saveDraft(mailing: Mailing): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.mailing(mailing.eventId, mailing.mailingId), ...mailing },
    }),
  );
}

export async function getMailing(eventId: string, mailingId: string): Promise<Mailing> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.mailing(eventId, mailingId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFoundError(`there is no mailing "${mailingId}" in the event "${eventId}"`);
  return toMailing(Item);
}

/**
 * Moves a mailing from one status to another, only from the statuses given: a mailing is sent at
 * most once, and a sent one cannot be cancelled. Throws a 409 naming the current status otherwise.
 */
export async function changeStatus(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  from: readonly MailingStatus[],
  to: MailingStatus,
  now: Date,
): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression: "SET #status = :to, updatedAt = :now",
        ConditionExpression: `#status IN (${from.map((_, index) => `:from${index}`).join(", ")})`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":to": to,
          ":now": now.toISOString(),
          ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getMailing(mailing.eventId, mailing.mailingId);
    throw new ConflictError(
      `mailing-${current.status}`,
      `this mailing is ${current.status}: it cannot become ${to} (only from ${from.join(" or ")})`,
    );
  }
}

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
): Promise<boolean> {
  if (mailing.pages !== undefined) return false;
  const pages = Math.ceil(recipients.length / recipientsPerPage);
  await batchWrite(
    Array.from({ length: pages }, (_, page) => ({
      put: {
        ...keys.mailingRecipients(mailing.mailingId, page),
        recipients: recipients.slice(page * recipientsPerPage, (page + 1) * recipientsPerPage),
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
  return (Item?.recipients as Recipient[] | undefined) ?? [];
}

/**
 * Lets exactly one step hand the chain on from `page` to `page + 1`: a duplicated or retried
 * batch finds `nextPage` already moved and does not start a second chain.
 */
export async function claimNextPage(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  page: number,
): Promise<boolean> {
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.mailing(mailing.eventId, mailing.mailingId),
        UpdateExpression: "SET nextPage = :next",
        ConditionExpression: "nextPage = :page",
        ExpressionAttributeValues: { ":page": page, ":next": page + 1 },
      }),
    ),
  );
}

/** Adds a step's outcomes to the mailing's counters: one write per step, not one per recipient. */
export async function addCounts(
  mailing: Pick<Mailing, "eventId" | "mailingId">,
  counts: { sent: number; skipped: number; failed: number },
): Promise<void> {
  if (counts.sent + counts.skipped + counts.failed === 0) return;
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.mailing(mailing.eventId, mailing.mailingId),
      UpdateExpression: "ADD sent :sent, skipped :skipped, failed :failed",
      ExpressionAttributeValues: {
        ":sent": counts.sent,
        ":skipped": counts.skipped,
        ":failed": counts.failed,
      },
    }),
  );
}

/** What organisers see of a mailing: its settings, status and counts (internal chain state left out). */
export function mailingView({ pages: _pages, nextPage: _nextPage, ...mailing }: Mailing) {
  return mailing;
}
