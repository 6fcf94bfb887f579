import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../aws/dynamo.ts";
import type { TableKey } from "../aws/table.ts";
import { normalizeEmail } from "../domain/registration.ts";
import { type Audience, stopsMail } from "../suppression/suppression.ts";
import { type SuppressionsRead, suppressionOf } from "../suppression/suppression-store.ts";

/** `suppressed`: the address is on the suppression list for this audience; nothing was claimed or sent. */
export type DeliveryOutcome = "sent" | "already-claimed" | "suppressed";

export interface Delivery {
  /** The delivery record: what is sent and to whom (e.g. `keys.delivery(registrationId, kind, n)`). */
  key: TableKey;
  /** The recipient, checked against the suppression list. */
  to: string;
  /**
   * Who the mail is for: bounced and complained addresses get nothing; unsubscribed addresses
   * still get `registrant` mails (confirmations, reminders of a registration they keep) but no
   * `mailing`.
   */
  audience: Audience;
  /**
   * Suppressions read ahead with `suppressionsOf` for a whole page of recipients (one BatchGetItem
   * instead of a GetItem per send). Without it, or for an address it does not hold, the
   * suppression is read here: one GetItem per send, which is fine for single mails.
   */
  suppressions?: SuppressionsRead;
}

/**
 * Sends one mail at most once, and never to a suppressed address.
 * 1. Checks the suppression list (before claiming, so a suppressed address leaves no claim that
 *    would block a send if the suppression were ever lifted).
 * 2. Claims the delivery with a conditional write keyed by what is sent and to whom; a duplicated
 *    event or a retried step finds the claim and sends nothing.
 * 3. Sends. If sending fails with an error, the claim is released so the retry sends it; if the
 *    process dies between claim and send, the claim stays "sending": that mail is reported, never
 *    sent twice.
 */
export async function deliverOnce(
  delivery: Delivery,
  send: () => Promise<{ messageId: string }>,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const { key, to, audience } = delivery;
  const readAhead = delivery.suppressions?.get(normalizeEmail(to));
  const suppression = readAhead === undefined ? await suppressionOf(to) : readAhead;
  if (stopsMail(suppression, audience)) return "suppressed";
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, state: "sending", claimedAt: now.toISOString() },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return "already-claimed";
    throw error;
  }
  let messageId: string;
  try {
    ({ messageId } = await send());
  } catch (error) {
    await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    throw error;
  }
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: "SET #state = :sent, messageId = :messageId, sentAt = :now",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: {
        ":sent": "sent",
        ":messageId": messageId,
        ":now": new Date().toISOString(),
      },
    }),
  );
  return "sent";
}
