import { randomBytes } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, queryAll, type TransactItem, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { type Lease, setLease } from "../deliveries/lease.ts";
import { built } from "../domain/built.ts";
import { languageSchema } from "../domain/languages.ts";
import { normalizeEmail, type Registration, registrationSchema } from "../domain/registration.ts";

/** Where a walk over the table's items goes: a partition (by sort key prefix) or a gsi1 key. */
export type ItemQuery = { pk: string; skPrefix?: string } | { gsi1pk: string; gsi1skPrefix: string };
export type QueryCursor = Record<string, unknown>;

const keySchema = /* @__PURE__ */ built(() => z.object({ pk: z.string(), sk: z.string() }));

/** One page (1 MB at most) of the keys a query finds, and where the next page starts. */
export async function queryKeys(
  query: ItemQuery,
  cursor: QueryCursor | undefined,
): Promise<{ keys: TableKey[]; next: QueryCursor | undefined }> {
  const input =
    "gsi1pk" in query
      ? {
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
          ExpressionAttributeValues: { ":pk": query.gsi1pk, ":prefix": query.gsi1skPrefix },
        }
      : query.skPrefix === undefined
        ? { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": query.pk } }
        : {
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": query.pk, ":prefix": query.skPrefix },
          };
  const { Items, LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...input,
      // On the table (not the index, which cannot), items written a moment ago are found too:
      // what a walk deletes or rewrites must not miss the last writes (a longer attendance import
      // just before, a delivery record just claimed).
      ConsistentRead: !("gsi1pk" in query),
      ProjectionExpression: "pk, sk",
      ExclusiveStartKey: cursor,
    }),
  );
  return { keys: (Items ?? []).map((item) => keySchema.parse(item)), next: LastEvaluatedKey };
}

/** Every key a query finds, page after page. */
export async function allKeys(query: ItemQuery): Promise<TableKey[]> {
  const found: TableKey[] = [];
  let cursor: QueryCursor | undefined;
  do {
    const page = await queryKeys(query, cursor);
    found.push(...page.keys);
    cursor = page.next;
  } while (cursor);
  return found;
}

/** Sets an item's TTL time, unless the item is gone meanwhile (a stub is never created). */
export const setExpiresAt = (key: TableKey, expiresAt: number) =>
  unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET expiresAt = :expiresAt",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":expiresAt": expiresAt },
      }),
    ),
  );

/** The retention end the last complete walk gave an event's items, kept on the event item. */
export async function retentionApplied(eventId: string): Promise<number | undefined> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.event(eventId),
      ProjectionExpression: "retentionApplied",
      ConsistentRead: true,
    }),
  );
  return z.object({ retentionApplied: z.number().optional() }).parse(Item ?? {}).retentionApplied;
}

export const markRetentionApplied = (eventId: string, expiresAt: number) =>
  unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.event(eventId),
        UpdateExpression: "SET retentionApplied = :expiresAt",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":expiresAt": expiresAt },
      }),
    ),
  );

/**
 * What is left of an erased registration: its ids and language (none of them personal) and when it was erased,
 * so that its manage link says the data was deleted instead of failing.
 */
const tombstoneSchema = /* @__PURE__ */ built(() =>
  z.object({
    registrationId: z.string(),
    eventId: z.string(),
    sessionId: z.string(),
    /** The language its pages were in, so that "your data was deleted" is said in it. */
    language: languageSchema,
    erasedAt: z.string(),
  }),
);
export type Tombstone = z.infer<typeof tombstoneSchema>;

/** A registration being erased: still whole, marked, its seat already freed. */
const erasingSchema = /* @__PURE__ */ built(() => registrationSchema.extend({ erasingSince: z.string() }));

export type RegistrationState =
  | { state: "absent" }
  | { state: "erased"; tombstone: Tombstone }
  | { state: "erasing"; registration: Registration }
  | { state: "active"; registration: Registration };

/** The registration item as it stands: whole, being erased, or erased. */
export async function registrationState(registrationId: string): Promise<RegistrationState> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.registration(registrationId), ConsistentRead: true }),
  );
  if (!Item) return { state: "absent" };
  if ("erasedAt" in Item) return { state: "erased", tombstone: tombstoneSchema.parse(Item) };
  if ("erasingSince" in Item) return { state: "erasing", registration: erasingSchema.parse(Item) };
  return { state: "active", registration: registrationSchema.parse(Item) };
}

/**
 * Step 1 of an erasure, in one transaction: the registration is marked as being erased and
 * cancelled (it leaves the session's lists at once: no reminder or mailing reaches it from now),
 * its uniqueness item is deleted and its seat or waiting-list place freed (unless a cancellation
 * did that before), the event's mark of the erased address is written, and it takes `lease`, whose message finishes the erasure should this process
 * stop before it does. False when the registration changed since it was read (or a concurrent
 * transaction on the same items won): read it again and retry.
 */
export async function markErasing(
  registration: Registration,
  lease: Lease,
  now: Date,
  /** The event's mark of the erased address (`erasedAddressItem`), so imports never bring it back. */
  erasedAddress: TransactItem | undefined,
): Promise<boolean> {
  const key = keys.registration(registration.registrationId);
  const leased = setLease(key, lease);
  const held = registration.status !== "cancelled";
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET erasingSince = :now, #status = :cancelled, updatedAt = :now, cancelledAt = if_not_exists(cancelledAt, :now)${held ? ", cancelledFrom = :read" : ""}, ${leased.set}`,
        ConditionExpression: "#status = :read AND attribute_not_exists(erasingSince)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":now": now.toISOString(),
          ":cancelled": "cancelled",
          ":read": registration.status,
          ...leased.values,
        },
      },
    },
  ];
  if (held) {
    items.push({
      Delete: {
        TableName: tableName,
        Key: keys.emailLock(registration.eventId, normalizeEmail(registration.email)),
        ConditionExpression: "registrationId = :id",
        ExpressionAttributeValues: { ":id": registration.registrationId },
      },
    });
  }
  // The statistics keep an erased registrant as an anonymous number (`erased`), and the seat or
  // waiting-list place they held is freed.
  items.push({
    Update: {
      TableName: tableName,
      Key: keys.sessionCounters(registration.eventId, registration.sessionId),
      UpdateExpression: held ? `ADD erased :one, ${registration.status} :minusOne` : "ADD erased :one",
      ExpressionAttributeValues: { ":one": 1, ...(held && { ":minusOne": -1 }) },
    },
  });
  if (erasedAddress) items.push(erasedAddress);
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    // A condition failed or a concurrent transaction won: the caller reads the registration again.
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/**
 * The last step of an erasure: the registration item is replaced by its tombstone, which drops
 * every personal field and the lease (the item leaves the sweeper's index).
 */
export async function putTombstone(tombstone: Tombstone, expiresAt: number): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.registration(tombstone.registrationId), ...tombstone, expiresAt },
    }),
  );
}

const listItemSchema = /* @__PURE__ */ built(() =>
  z
    .object({ recipients: z.array(z.unknown()), records: z.array(z.unknown()), listVersion: z.int() })
    .partial(),
);

/**
 * A page item's list (`recipients` of a mailing page, `records` of an attendance page), with the
 * version a rewrite is conditioned on (0 for a page never rewritten); undefined if the item is gone.
 */
export async function readList(
  key: TableKey,
  attribute: "recipients" | "records",
): Promise<{ list: unknown[]; version: number } | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  if (!Item) return undefined;
  const item = listItemSchema.parse(Item);
  return { list: item[attribute] ?? [], version: item.listVersion ?? 0 };
}

/**
 * Replaces a page item's list, on condition that it is still at the version read: of two erasures
 * rewriting one page at once, the second one's condition fails (it would otherwise write back the
 * entry the first one removed), and it reads the page again. False when the condition failed
 * (rewritten meanwhile, or gone).
 */
export const writeList = (
  key: TableKey,
  attribute: "recipients" | "records",
  list: readonly unknown[],
  readVersion: number,
) =>
  unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET #list = :list, listVersion = :next",
        ConditionExpression:
          readVersion === 0
            ? "attribute_exists(pk) AND attribute_not_exists(listVersion)"
            : "listVersion = :read",
        ExpressionAttributeNames: { "#list": attribute },
        ExpressionAttributeValues: {
          ":list": list,
          ":next": readVersion + 1,
          ...(readVersion > 0 && { ":read": readVersion }),
        },
      }),
    ),
  );

/**
 * Strips a mailing's delivery record of what could name the recipient (SES's refusal reason quotes
 * the address); its state stays, so the mailing's counts stay right.
 */
export const stripMailingDelivery = (key: TableKey) =>
  unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "REMOVE reason",
        ConditionExpression: "attribute_exists(pk)",
      }),
    ),
  );

const mailingDeliverySchema = /* @__PURE__ */ built(() =>
  z.object({
    state: z.string(),
    claimedAt: z.string(),
    sentAt: z.string().optional(),
  }),
);

/** What a mailing's delivery record says of one registrant, if it was sent to them. */
export async function mailingDeliveryOf(mailingId: string, registrationId: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.mailingDelivery(mailingId, registrationId) }),
  );
  return Item ? mailingDeliverySchema.parse(Item) : undefined;
}

const erasureHashKeySchema = /* @__PURE__ */ built(() => z.object({ key: z.string().min(1) }));

/**
 * An event's random key for the hashes of its erased addresses (`erased-addresses.ts`): created by
 * the event's first erasure (a conditional write: of two first erasures at once, both read the
 * winner's), read by imports; undefined when nobody was ever erased from the event. It names no
 * one, and stays as long as the event: its marks must stay checkable as long as they live.
 */
export async function erasureHashKey(eventId: string, createIfMissing: boolean): Promise<Buffer | undefined> {
  const read = async () =>
    (
      await db.send(
        new GetCommand({ TableName: tableName, Key: keys.erasureHashKey(eventId), ConsistentRead: true }),
      )
    ).Item;
  let item = await read();
  if (!item && !createIfMissing) return undefined;
  if (!item) {
    await unlessConditionFails(
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.erasureHashKey(eventId), key: randomBytes(32).toString("base64") },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    item = await read();
  }
  return Buffer.from(erasureHashKeySchema.parse(item).key, "base64");
}

const erasedAddressSchema = /* @__PURE__ */ built(() => z.object({ sk: z.string() }));

/** The hashes of the addresses erased from an event: one Query (erasures are few). */
export async function erasedAddressHashes(eventId: string): Promise<Set<string>> {
  const { pk, skPrefix } = keys.erasedAddresses(eventId);
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
    ProjectionExpression: "sk",
  });
  return new Set(items.map((item) => erasedAddressSchema.parse(item).sk.slice(skPrefix.length)));
}
