import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { type Lease, leaseAttributes, leaseAttributesToRemove, leaseFree, setLease } from "./lease.ts";

/**
 * The conditional write that makes a delivery happen at most once: it succeeds on a new delivery,
 * or on a claim still `sending` whose lease expired (its sender died between claim and outcome),
 * which it takes over. False when the delivery has an outcome or a live claim.
 */
export async function claimDelivery(
  key: TableKey,
  state: "sending" | "suppressed",
  now: Date,
  lease: Lease,
  expiresAt?: number,
): Promise<boolean> {
  const free = leaseFree(now);
  return unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...key,
          state,
          claimedAt: now.toISOString(),
          expiresAt,
          ...(state === "sending" && leaseAttributes(key, lease)),
        },
        ConditionExpression: `attribute_not_exists(pk) OR (#state = :sending AND ${free.condition})`,
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":sending": "sending", ...free.values },
      }),
    ),
  );
}

/**
 * The client of the outcome's write, the one write inside the window for a duplicate (SES accepted
 * the message, the record does not say so yet): a client of its own, so that this write never
 * waits for one of the 50 sockets of the shared client behind the claims, reads and counts of the
 * other sends in flight (a page of 60 at 100/s, or a restart resuming a hundred confirmations).
 */
let outcomeClient: DynamoDBDocumentClient | undefined;
const outcomeDb = () => {
  outcomeClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return outcomeClient;
};

/** Records a delivery's outcome and drops its lease, right after the send. */
export async function recordDelivery(key: TableKey, fields: Record<string, string>): Promise<void> {
  const names = Object.keys(fields);
  await outcomeDb().send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(", ")} REMOVE ${leaseAttributesToRemove}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
    }),
  );
}

/**
 * Lets a send that failed for a passing reason be retried: the claim's lease is set to end now
 * (`lease.until`), so the retry (or, for a claim that carries its resume message, the sweeper)
 * takes it over at once.
 */
export async function releaseDelivery(key: TableKey, lease: Lease): Promise<void> {
  const { set, values } = setLease(key, lease);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${set}`,
      ExpressionAttributeValues: values,
    }),
  );
}

const deliveryRecordSchema = z.object({
  sk: z.string(),
  state: z.enum(["sending", "sent", "suppressed", "rejected"]),
  claimedAt: z.string(),
  sentAt: z.string().optional(),
  reason: z.string().optional(),
});

/** What was mailed to a registrant about their registration, oldest first: kind, number, outcome. */
export async function registrationDeliveries(registrationId: string) {
  const { pk, skPrefix } = keys.registrationDeliveries(registrationId);
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
  });
  return items
    .map((item) => {
      const record = deliveryRecordSchema.parse(item);
      // MAIL#<kind>#<n>: the kind (confirmation, reminder-P1D…) and which one of that kind.
      const [, kind = "", number = "1"] = record.sk.split("#");
      return {
        kind,
        number: Number(number),
        state: record.state,
        at: record.sentAt ?? record.claimedAt,
        ...(record.reason && { reason: record.reason }),
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}
