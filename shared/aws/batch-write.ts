import { setTimeout as sleep } from "node:timers/promises";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { runPool } from "../pool.ts";
import { db, tableName } from "./dynamo.ts";
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
 * one a mail), gathered for up to `windowMs` (or until 25 wait) and written in one BatchWriteItem:
 * one request a batch instead of one an item, each a whole item with no condition. A put's promise
 * settles once its batch is written (unprocessed items retried as in `batchWrite`), or rejects
 * with its batch's error. Two puts of one key never share a batch (DynamoDB refuses that), and the
 * later one waits until the earlier one's batch is written: the last put of a key wins.
 */
export function batchedPuts(client: DynamoDBDocumentClient, windowMs: number) {
  interface Waiting {
    item: Record<string, unknown> & TableKey;
    settle: { resolve: () => void; reject: (error: unknown) => void };
  }
  let batch = new Map<string, Waiting>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The write of each key being written, for a later put of the same key to wait for. */
  const writing = new Map<string, Promise<void>>();

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const written = batch;
    batch = new Map();
    const write = writeChunk(
      [...written.values()].map(({ item }) => ({ put: item })),
      client,
    );
    const settled = write.then(
      () => {
        for (const { settle } of written.values()) settle.resolve();
      },
      (error: unknown) => {
        for (const { settle } of written.values()) settle.reject(error);
      },
    );
    for (const key of written.keys()) writing.set(key, settled);
    void settled.then(() => {
      for (const key of written.keys()) if (writing.get(key) === settled) writing.delete(key);
    });
  };

  return async (item: Record<string, unknown> & TableKey): Promise<void> => {
    const key = keyString(item);
    // A put of a key already waiting or being written goes after it: flushed, then waited for.
    for (;;) {
      if (batch.has(key)) flush();
      const earlier = writing.get(key);
      if (!earlier) break;
      await earlier;
    }
    return new Promise((resolve, reject) => {
      batch.set(key, { item, settle: { resolve, reject } });
      if (batch.size >= batchSize) flush();
      else timer ??= setTimeout(flush, windowMs);
    });
  };
}
