import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";

/**
 * Counts one hit in a fixed window, unless the window already has `limit` hits: one conditional
 * UpdateItem (ADD on a counter that may not exist yet), so concurrent requests on any number of
 * Lambda instances share the count exactly and a refused request adds nothing. `expiresAt` lets
 * DynamoDB's TTL delete the counter once its window is over (the table's TTL attribute).
 * Returns false when the limit is reached.
 */
export async function countHit(
  counter: string,
  limit: number,
  windowStart: Date,
  windowEnd: Date,
): Promise<boolean> {
  return unlessConditionFails(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.rateCounter(counter, windowStart),
        UpdateExpression: "ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)",
        ConditionExpression: "attribute_not_exists(hits) OR hits < :limit",
        ExpressionAttributeValues: {
          ":one": 1,
          ":limit": limit,
          // An hour after the window ends: TTL deletes within a day or two anyway, never before.
          ":expiresAt": Math.ceil(windowEnd.getTime() / 1000) + 3600,
        },
      }),
    ),
  );
}
