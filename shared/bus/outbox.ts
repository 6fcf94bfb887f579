import { randomUUID } from "node:crypto";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { leaseAttributes } from "../deliveries/lease.ts";
import type { BusMessage } from "./define-event.ts";

/**
 * The transactional outbox: a change that must be announced on the bus (a registration, a
 * cancellation, a promotion…) writes the message as an outbox item in the same DynamoDB
 * transaction, so the change and its announcement are stored together or not at all, and the
 * request itself never calls `PutEvents`. The item is then relayed from the table's stream
 * (`relayOutboxRecords`: a stream-triggered function on AWS, DynamoDB Local's stream locally),
 * and if that fails for good, by the sweeper once `relayAfterMs` has passed (the item sits in gsi1
 * under `LEASES` with the message to publish, and is deleted once published). A message may so be
 * published twice (the relay published, then died before the delete); its consumers are
 * idempotent (delivery claims, conditional promotions), which is what makes that harmless.
 */
/** How long the stream relay has to publish a message before the sweeper relays it. */
export const relayAfterMs = 30_000;

/** An outbox item is kept this long at most (DynamoDB's TTL), should it never be relayed. */
const keptSeconds = 14 * 24 * 3600;

/**
 * The outbox item that stores `message`, for the caller's transaction (as a `Put` written in the
 * caller's own transaction, where the grants of its function are read).
 */
export function outboxEntry(message: BusMessage, now: Date) {
  const key = keys.outbox(randomUUID());
  const item = {
    ...key,
    ...leaseAttributes(key, { until: new Date(now.getTime() + relayAfterMs), resume: message }),
    relayOnce: true,
    // The message again, as the JSON the stream relay reads without unmarshalling DynamoDB's types.
    message: JSON.stringify(message),
    expiresAt: Math.ceil(now.getTime() / 1000) + keptSeconds,
  };
  return { item };
}

/** Deletes an outbox item once its message is on the bus. */
export async function deleteOutboxItem(key: TableKey): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
}
