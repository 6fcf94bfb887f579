import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, type TransactItem, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";

/** One counter of a fixed window: its name, its limit, and the window it counts. */
export interface WindowCounter {
  counter: string;
  limit: number;
  windowStart: Date;
  windowEnd: Date;
}

/**
 * The conditional update that counts one hit, unless the window already has `limit` hits: ADD on a
 * counter that may not exist yet, so concurrent requests on any number of Lambda instances share
 * the count exactly and a refused request adds nothing. `expiresAt` lets DynamoDB's TTL delete the
 * counter once its window is over (the table's TTL attribute). The same update is sent alone
 * ({@link countHit}) or as an item of the transaction that does the request's work.
 */
export function hitUpdate({ counter, limit, windowStart, windowEnd }: WindowCounter) {
  return {
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
  };
}

/** Counts one hit with one UpdateItem; false when the limit is reached. */
export const countHit = (counter: WindowCounter): Promise<boolean> =>
  unlessConditionFails(db.send(new UpdateCommand(hitUpdate(counter))));

/** Counts one hit as an item of a transaction, whose condition fails when the limit is reached. */
export const hitItem = (counter: WindowCounter): TransactItem => ({ Update: hitUpdate(counter) });
