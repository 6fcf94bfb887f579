import { setTimeout as sleep } from "node:timers/promises";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { runPool } from "../pool.ts";
import { db, tableName } from "./dynamo.ts";
import { gathered } from "./gather.ts";
import { keyString, type TableKey } from "./table.ts";

export type WriteRequest = { put: Record<string, unknown> & TableKey } | { delete: TableKey };

/** DynamoDB's limit per BatchWriteItem call. */
const batchSize = 25;
const maxAttempts = 8;
/** Calls in flight at once: large imports finish in seconds without flooding one partition. */
const parallelCalls = 8;

/**
 * Writes many items with BatchWriteItem, 25 per call, for writes that need no condition. Items
 * DynamoDB hands back as unprocessed (throttling, partition limits) are retried with exponential
 * backoff and jitter; after `maxAttempts` the call fails rather than losing them silently.
 */
export async function batchWrite(requests: readonly WriteRequest[]): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let start = 0; start < requests.length; start += batchSize)
    chunks.push(requests.slice(start, start + batchSize));
  const { settled } = await runPool(chunks, parallelCalls, writeChunk);
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}

async function writeChunk(chunk: readonly WriteRequest[], client = db): Promise<void> {
  let pending = chunk.map((request) =>
    "put" in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: request.delete } },
  );
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts)
      throw new Error(`${pending.length} item(s) still unprocessed after ${maxAttempts} attempts`);
    if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
    const { UnprocessedItems } = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
  }
}

/**
 * Puts that concurrent tasks of one process make one by one at a steady pace (a sender's outcomes,
 * one a mail), gathered for up to `windowMs` (or until 25 wait) and written in one BatchWriteItem
 * (`gathered`): one request a batch instead of one an item, each a whole item with no condition.
 * A put's promise settles once its batch is written (unprocessed items retried as in
 * `batchWrite`), or rejects with its batch's error. The last put of a key wins.
 */
export function batchedPuts(client: DynamoDBDocumentClient, windowMs: number) {
  return gathered({
    windowMs,
    maxSize: batchSize,
    keyOf: (item: Record<string, unknown> & TableKey) => keyString(item),
    write: async (items) => {
      await writeChunk(
        items.map((item) => ({ put: item })),
        client,
      );
      return items.map(() => undefined);
    },
  });
}
