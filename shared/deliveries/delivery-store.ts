import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import type { TableKey } from "../aws/table.ts";

/** The conditional write that makes a delivery happen at most once; false when already claimed. */
export async function claimDelivery(
  key: TableKey,
  state: "sending" | "suppressed",
  now: Date,
): Promise<boolean> {
  return unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, state, claimedAt: now.toISOString() },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    ),
  );
}

export async function recordDelivery(key: TableKey, fields: Record<string, string>): Promise<void> {
  const names = Object.keys(fields);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
    }),
  );
}

/** Lets a send that failed for a passing reason be retried: the claim is removed. */
export async function releaseDelivery(key: TableKey): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
}
