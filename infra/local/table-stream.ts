import { setTimeout as sleep } from "node:timers/promises";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { EventPattern } from "../event-pattern.ts";
import { compilePattern } from "./event-pattern.ts";

export interface StreamConsumer {
  name: string;
  /** The Lambda event filter of its event source mapping (the wiring list's `stream.filter`). */
  filter: EventPattern;
  target: (event: { Records: unknown[] }) => Promise<unknown>;
}

export interface TableStreamOptions {
  /** DynamoDB Local's endpoint, which also serves its Streams API. */
  endpoint: string;
  tableName: string;
  consumers: readonly StreamConsumer[];
  /** Records per invocation, as the event source mapping's batch size on AWS. */
  batchSize?: number;
  /** Attempts per batch and the first backoff, doubled at each retry up to `maxDelayMs`. */
  retry?: { attempts: number; firstDelayMs: number; maxDelayMs: number };
  /**
   * How long to wait before polling again after a poll that read records; after polls that read
   * none the wait doubles up to `maxIdlePollMs`.
   */
  idlePollMs?: number;
  maxIdlePollMs?: number;
  log?: (line: string) => void;
}

export interface TableStream {
  /**
   * Resolves once every record written before the call has been read and handed to its
   * consumers (a whole poll begun after the call has ended): what the bus's settle hook waits for.
   */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** How often the shards are listed again, to find the new ones DynamoDB opens as others close. */
const describeEveryMs = 1_000;

/**
 * What Lambda's event source mapping does on AWS, for the local runtime: reads the table's stream
 * from DynamoDB Local (which serves the Streams API on its own port), passes the records that
 * match each consumer's filter to that consumer in batches, retries a failing batch with backoff,
 * and after its last attempt moves on, as a mapping with `retryAttempts` does (the outbox items of
 * such a batch are still in the table: the sweeper relays them). Reading starts at the stream's
 * end (`LATEST`): what the last run left unrelayed is the start's sweep's to publish.
 */
export async function startTableStream(options: TableStreamOptions): Promise<TableStream> {
  const log = options.log ?? ((line: string) => console.log(line));
  const batchSize = options.batchSize ?? 10;
  // As the event source mapping of the stack (`retryAttempts: 10`): about half a minute of a bus
  // that refuses before the batch is left to the sweeper.
  const retry = options.retry ?? { attempts: 10, firstDelayMs: 200, maxDelayMs: 5_000 };
  const idlePollMs = options.idlePollMs ?? 50;
  const maxIdlePollMs = options.maxIdlePollMs ?? 250;
  const clientConfig = {
    endpoint: options.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
  const dynamo = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`the table ${options.tableName} has no stream`);
  const consumers = options.consumers.map((consumer) => ({
    ...consumer,
    matches: compilePattern(consumer.filter),
  }));

  /** Open shards and where reading each one stands; a closed shard is dropped once read to its end. */
  const iterators = new Map<string, string>();
  const seen = new Set<string>();
  const listShards = async (position: "LATEST" | "TRIM_HORIZON") => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || seen.has(shard.ShardId)) continue;
      seen.add(shard.ShardId);
      // At the start, closed shards hold only the past; a shard opened since is read from its start.
      if (position === "LATEST" && shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: position,
        }),
      );
      if (ShardIterator) iterators.set(shard.ShardId, ShardIterator);
    }
  };
  await listShards("LATEST");

  const deliver = async (consumer: (typeof consumers)[number], records: StreamRecord[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await consumer.target({ Records: records });
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= retry.attempts || closing) {
          log(
            `[stream] ${consumer.name} gave up a batch of ${records.length} after ${attempt} attempts (${reason})`,
          );
          return;
        }
        await sleep(Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)));
      }
    }
  };

  /** The last record read of each shard: where to pick up again if its iterator is refused. */
  const lastRead = new Map<string, string>();
  const readShard = async (shardId: string, iterator: string) => {
    try {
      return await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      // An iterator expires (15 minutes on AWS) or is refused: take a new one where reading stood.
      const after = lastRead.get(shardId);
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
            : { ShardIteratorType: "LATEST" }),
        }),
      );
      if (!ShardIterator) throw error;
      return { Records: [], NextShardIterator: ShardIterator };
    }
  };

  const pollOnce = async (): Promise<number> => {
    let read = 0;
    for (const [shardId, iterator] of [...iterators]) {
      const { Records = [], NextShardIterator } = await readShard(shardId, iterator);
      if (NextShardIterator) iterators.set(shardId, NextShardIterator);
      else iterators.delete(shardId);
      const last = Records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) lastRead.set(shardId, last);
      read += Records.length;
      for (const consumer of consumers) {
        const matching = Records.filter((record) => consumer.matches(record as Record<string, unknown>));
        for (let start = 0; start < matching.length; start += batchSize) {
          await deliver(consumer, matching.slice(start, start + batchSize));
        }
      }
    }
    return read;
  };

  let closing = false;
  let pollsDone = 0;
  // Ends the wait between two polls early: someone waits for the stream to drain.
  let wake = () => {};
  const loop = (async () => {
    let describedAt = Date.now();
    let waitMs = idlePollMs;
    while (!closing) {
      try {
        if (Date.now() - describedAt >= describeEveryMs) {
          describedAt = Date.now();
          await listShards("TRIM_HORIZON");
        }
        const polledAt = Date.now();
        const read = await pollOnce();
        pollsDone++;
        // A poll at most every `idlePollMs` while records come, busy or not: each GetRecords costs
        // DynamoDB Local and this process a few ms of CPU, and back to back while mail is sent (a
        // few records each) they took more of it than the sends. Idle, the wait grows to 250 ms,
        // the pace of Lambda's poller (about 4 reads of a shard a second): an idle stack polling 20
        // times a second cost a sixth of a core, and a test run keeps 3 to 5 stacks alive.
        waitMs = read > 0 ? idlePollMs : Math.min(2 * waitMs, maxIdlePollMs);
        const wait = Math.max(0, waitMs - (Date.now() - polledAt));
        if (wait > 0 && !closing) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = () => {};
        }
      } catch (error) {
        if (closing) break;
        log(`[stream] reading the table's stream failed: ${error instanceof Error ? error.message : error}`);
        await sleep(500);
      }
    }
  })();

  return {
    async drained() {
      // The poll under way may have read before the call; the one after it began after.
      const target = pollsDone + 2;
      while (pollsDone < target && !closing) {
        wake();
        await sleep(idlePollMs / 2);
      }
    },
    async close() {
      closing = true;
      wake();
      await loop;
      streams.destroy();
    },
  };
}
