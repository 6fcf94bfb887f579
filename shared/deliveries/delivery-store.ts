import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";

/** The conditional write that makes a delivery happen at most once; false when already claimed. */
export async function claimDelivery(
  key: TableKey,
  state: "sending" | "suppressed",
  now: Date,
): Promise<boolean> {
  return unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, state, claimedAt: now.toISOString() },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    ),
  );
}

export async function recordDelivery(key: TableKey, fields: Record<string, string>): Promise<void> {
  const names = Object.keys(fields);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, fields[name]])),
    }),
  );
}

/** Lets a send that failed for a passing reason be retried: the claim is removed. */
export async function releaseDelivery(key: TableKey): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
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
