import { setTimeout as sleep } from "node:timers/promises";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
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
 * (many people registering for the same session at once: each transaction updates its counter),
 * after a random pause that grows with each attempt (up to 250 ms) so that the contenders spread
 * out. Returns which item's condition failed, or `undefined` when the transaction went through;
 * throws `BusyError` when conflicts outlast the budget.
 */
export async function transact(items: readonly TransactItem[]): Promise<number | undefined> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: [...items] }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === "ConditionalCheckFailed");
      if (failed >= 0) return failed;
      if (!reasons.some((reason) => reason.Code === "TransactionConflict")) throw error;
      const pauseMs = Math.random() * Math.min(250, 10 * 2 ** attempt);
      if (Date.now() + pauseMs - started > conflictRetryBudgetMs) throw new BusyError();
      await sleep(pauseMs);
    }
  }
}
