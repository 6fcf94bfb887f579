import { setTimeout as sleep } from "node:timers/promises";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "./dynamo.ts";
import type { TableKey } from "./table.ts";

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
  let next = 0;
  const worker = async () => {
    for (let chunk = chunks[next++]; chunk; chunk = chunks[next++]) await writeChunk(chunk);
  };
  await Promise.all(Array.from({ length: Math.min(parallelCalls, chunks.length) }, worker));
}

async function writeChunk(chunk: readonly WriteRequest[]): Promise<void> {
  let pending = chunk.map((request) =>
    "put" in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: request.delete } },
  );
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts)
      throw new Error(`${pending.length} item(s) still unprocessed after ${maxAttempts} attempts`);
    if (attempt > 1) await sleep(Math.random() * 50 * 2 ** attempt);
    const { UnprocessedItems } = await db.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (UnprocessedItems?.[tableName] ?? []) as typeof pending;
  }
}
