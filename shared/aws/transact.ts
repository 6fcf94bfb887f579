import { setTimeout as sleep } from "node:timers/promises";
import {
  type AttributeValue,
  type CancellationReason,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { BusyError } from "../domain/errors.ts";
import { db, type TransactItem } from "./dynamo.ts";

/**
 * How long a transaction that conflicts with concurrent ones keeps being retried: about half of
 * a request's 10 s (a registration's), so that it still answers in its own words (503, try
 * again) rather than be cut off by its timeout.
 */
const conflictRetryBudgetMs = 5_000;

/**
 * Runs a transaction, retrying when DynamoDB cancels it for a conflict with a concurrent one
 * (many people registering for the same session at once: each transaction updates its counter)
 * or for want of capacity, after a random pause that grows with each attempt (up to 250 ms) so
 * that the contenders spread out. Returns which item's condition failed, or `undefined` when the
 * transaction went through; throws `BusyError` when conflicts outlast the budget.
 */
export async function transact(items: readonly TransactItem[]): Promise<number | undefined> {
  const retry = conflictRetry();
  for (;;) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: [...items] }));
      return undefined;
    } catch (error) {
      const reasons = cancellationReasons(error);
      const failed = reasons.findIndex((reason) => reason.Code === "ConditionalCheckFailed");
      if (failed >= 0) return failed;
      await retry(error, reasons);
    }
  }
}

/** What became of one write of `transactEach`: written, or not, with the item its condition found. */
export type EachWrite = { written: true } | { written: false; found?: Record<string, AttributeValue> };

/**
 * Runs independent conditional writes (writes gathered from concurrent tasks: a sender's claims)
 * in one transaction: one request for all instead of one each. When DynamoDB cancels it because
 * some conditions failed, those writes are answered with the item each found
 * (`ReturnValuesOnConditionCheckFailure`, as DynamoDB returns it: attribute values, unconverted)
 * and the others are written again without them; conflicts are retried as in `transact`. Each
 * write is answered, in order. On AWS a transaction's write costs twice a single write's units.
 */
export async function transactEach(items: readonly TransactItem[]): Promise<EachWrite[]> {
  const results: EachWrite[] = [];
  let pending = items.map((item, index) => ({ item, index }));
  const retry = conflictRetry();
  while (pending.length > 0) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: pending.map(({ item }) => item) }));
      for (const { index } of pending) results[index] = { written: true };
      pending = [];
    } catch (error) {
      const reasons = cancellationReasons(error);
      const failed = (position: number) => reasons[position]?.Code === "ConditionalCheckFailed";
      if (!pending.some((_, position) => failed(position))) {
        await retry(error, reasons);
        continue;
      }
      pending.forEach(({ index }, position) => {
        if (failed(position)) results[index] = { written: false, found: reasons[position]?.Item };
      });
      pending = pending.filter((_, position) => !failed(position));
    }
  }
  return results;
}

/** A cancelled transaction's reasons, one per item; any other error is thrown again. */
function cancellationReasons(error: unknown): CancellationReason[] {
  if (!(error instanceof TransactionCanceledException)) throw error;
  return error.CancellationReasons ?? [];
}

/**
 * Why DynamoDB cancels a transaction that is worth trying again: a concurrent transaction on one
 * of its items, or the table's or partition's capacity. The SDK retries neither (a cancellation is
 * not a throttling error to it), where it retries a single write's throttling.
 */
const passingReasons = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);

/**
 * The pause before a transaction cancelled for a passing reason is tried again: random, growing
 * with each attempt (up to 250 ms); `BusyError` once such cancellations outlast the budget, and
 * the error itself for any other cancellation.
 */
function conflictRetry() {
  const started = Date.now();
  let attempt = 0;
  return async (error: unknown, reasons: readonly CancellationReason[]) => {
    if (!reasons.some((reason) => passingReasons.has(reason.Code ?? ""))) throw error;
    attempt++;
    const pauseMs = Math.random() * Math.min(250, 10 * 2 ** attempt);
    if (Date.now() + pauseMs - started > conflictRetryBudgetMs) throw new BusyError();
    await sleep(pauseMs);
  };
}
