import { setTimeout as sleep } from "node:timers/promises";
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "./dynamo.ts";
import { keyString, type TableKey } from "./table.ts";

/** DynamoDB's limit per BatchGetItem call. */
const batchSize = 100;
const maxAttempts = 8;

/**
 * Reads many items by key with BatchGetItem, 100 per call: one round trip where a page of
 * recipients would otherwise cost one GetItem each. Keys DynamoDB hands back as unprocessed are
 * retried with exponential backoff and jitter; after `maxAttempts` the call fails rather than
 * answering as if those items did not exist. Items come back in no particular order; missing
 * items are simply absent. Duplicated keys are read once (DynamoDB refuses duplicates).
 */
export async function batchGet(
  keys: readonly TableKey[],
  options: {
    /** Strongly consistent reads (twice the price): an item written a moment ago is seen. */
    consistent?: boolean;
    /** Only these attributes (and the keys, to match items to requests), not whole items. */
    attributes?: readonly string[];
  } = {},
): Promise<Record<string, unknown>[]> {
  const projected = options.attributes && ["pk", "sk", ...options.attributes];
  const projection = projected && {
    ProjectionExpression: projected.map((_, n) => `#a${n}`).join(", "),
    ExpressionAttributeNames: Object.fromEntries(projected.map((name, n) => [`#a${n}`, name])),
  };
  const unique = [...new Map(keys.map((key) => [keyString(key), key])).values()];
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < unique.length; start += batchSize) {
    let pending: Record<string, unknown>[] = unique.slice(start, start + batchSize);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts)
        throw new Error(`${pending.length} key(s) still unprocessed after ${maxAttempts} attempts`);
      if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
      const { Responses, UnprocessedKeys } = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: pending, ConsistentRead: options.consistent ?? false, ...projection },
          },
        }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
