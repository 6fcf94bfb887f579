import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { batchGet } from "../aws/batch-get.ts";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { normalizeEmail } from "../domain/registration.ts";
import { type Suppression, type SuppressionReason, strengthOf, suppressionSchema } from "./suppression.ts";

/**
 * Suppressions read ahead for a page of recipients, by normalized address: `null` means "read, not
 * suppressed". An address missing from it has not been read (see `deliverOnce`).
 */
export type SuppressionsRead = ReadonlyMap<string, Suppression | null>;

const toSuppression = (item: Record<string, unknown>): Suppression => suppressionSchema.parse(item);

/**
 * Puts an address on the suppression list, or strengthens its reason. One conditional write keeps
 * the strongest reason: a bounce or complaint is never turned back into an unsubscribe (which would
 * let registration mails through again), and the same reason again keeps the first record and its
 * time. Returns whether this call changed the list.
 */
export async function suppress(
  email: string,
  reason: SuppressionReason,
  now = new Date(),
  detail?: string,
): Promise<boolean> {
  const address = normalizeEmail(email);
  return unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.suppression(address),
          email: address,
          reason,
          strength: strengthOf(reason),
          at: now.toISOString(),
          detail,
        },
        ConditionExpression: "attribute_not_exists(pk) OR strength < :strength",
        ExpressionAttributeValues: { ":strength": strengthOf(reason) },
      }),
    ),
  );
}

/** The suppression of one address, if any (one GetItem). */
export async function suppressionOf(email: string): Promise<Suppression | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.suppression(normalizeEmail(email)) }),
  );
  return Item ? toSuppression(Item) : undefined;
}

/**
 * The suppressions of many addresses at once (BatchGetItem, 100 per call), for a step that mails a
 * page of recipients: pass the result to `deliverOnce` so no send reads on its own.
 */
export async function suppressionsOf(emails: readonly string[]): Promise<SuppressionsRead> {
  const addresses = [...new Set(emails.map(normalizeEmail))];
  const read = new Map<string, Suppression | null>(addresses.map((address) => [address, null]));
  for (const item of await batchGet(addresses.map(keys.suppression))) {
    read.set(String(item.email), toSuppression(item));
  }
  return read;
}
