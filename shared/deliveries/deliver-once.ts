import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../aws/dynamo.ts";
import type { TableKey } from "../aws/table.ts";

export type DeliveryOutcome = "sent" | "already-claimed";

/**
 * Sends one mail at most once. The delivery is first claimed with a conditional write keyed by
 * what is sent and to whom; a duplicated event or a retried step finds the claim and sends
 * nothing. If sending fails with an error, the claim is released so the retry sends it; if the
 * process dies between claim and send, the claim stays "sending": that mail is reported, never
 * sent twice.
 */
export async function deliverOnce(
  key: TableKey,
  send: () => Promise<{ messageId: string }>,
  now = new Date(),
): Promise<DeliveryOutcome> {
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
