import { createHash, randomUUID } from "node:crypto";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { BusEnvelope, Target } from "./event-bus.ts";

/**
 * How long a batch gathers deliveries before it is handed over, unless it fills first: SQS's
 * poller hands over what the queue holds when it polls, so at 100 events a second a batch of 10
 * fills in about this time.
 */
const gatherMs = 100;

/**
 * A rule's target for a function that takes its events through a queue (`queue` in the wiring
 * list), as an SQS event source mapping hands them over on AWS: the rule's deliveries are gathered
 * into batches of up to `batchSize` records (each body the bus event, as a rule's SQS target puts
 * it), and each delivery settles with its own record's outcome: rejected when the function names
 * it among its `batchItemFailures` or fails the whole batch. The local bus then retries and
 * dead-letters that event alone, as SQS gives a failed record again and then moves it to the
 * dead-letter queue.
 */
export function queueTarget(
  queueName: string,
  invoke: (event: SQSEvent) => Promise<unknown>,
  batchSize: number,
): Target {
  interface Waiting {
    record: SQSRecord;
    settle: { resolve: () => void; reject: (error: Error) => void };
  }
  let batch: Waiting[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const handOver = () => {
    clearTimeout(timer);
    timer = undefined;
    const records = batch;
    batch = [];
    invoke({ Records: records.map(({ record }) => record) }).then(
      (response) => {
        const failed = new Set(
          ((response as SQSBatchResponse | undefined)?.batchItemFailures ?? []).map(
            (failure) => failure.itemIdentifier,
          ),
        );
        for (const { record, settle } of records) {
          if (failed.has(record.messageId)) settle.reject(new Error(`${queueName} failed this record`));
          else settle.resolve();
        }
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const { settle } of records) settle.reject(failure);
      },
    );
  };

  return (event: BusEnvelope) =>
    new Promise<void>((resolve, reject) => {
      batch.push({ record: sqsRecord(queueName, event), settle: { resolve, reject } });
      if (batch.length >= batchSize) handOver();
      else timer ??= setTimeout(handOver, gatherMs);
    });
}

/** An SQS record of the event as Lambda's event source mapping gives it (one delivery, one receive). */
function sqsRecord(queueName: string, event: BusEnvelope): SQSRecord {
  const body = JSON.stringify(event);
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: now,
      SenderId: "local",
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: createHash("md5").update(body).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queueName}`,
    awsRegion: "local",
  };
}
