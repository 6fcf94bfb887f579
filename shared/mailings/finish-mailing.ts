import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, queryAll, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { message } from "../bus/define-event.ts";
import { mailingCompleted } from "../bus/events/mailing-completed.ts";
import { publishEvents } from "../bus/publish.ts";
import { ConflictError } from "../http/errors.ts";
import { changeStatus, type Mailing } from "./mailing-store.ts";

/**
 * The mailing's counts from its delivery records, which say each recipient's outcome exactly once
 * (the steps' own counters are for progress and may lag after a crash). `pending` are claims
 * still being sent, or left by a process that died between claim and send.
 */
async function countDeliveries(mailingId: string) {
  const counts = { sent: 0, skipped: 0, failed: 0, pending: 0 };
  const { pk, sk } = keys.mailingDelivery(mailingId, "");
  const records = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": sk },
    ProjectionExpression: "#state",
    ExpressionAttributeNames: { "#state": "state" },
    ConsistentRead: true,
  });
  for (const { state } of records) {
    if (state === "sent") counts.sent++;
    else if (state === "suppressed") counts.skipped++;
    else if (state === "rejected") counts.failed++;
    else counts.pending++;
  }
  return counts;
}

/**
 * Ends a mailing whose last page was mailed: the counts are set from the delivery records, and the
 * mailing becomes `sent` once every recipient has an outcome. When a duplicated batch runs beside
 * the chain, the step that completes the records finishes it; a claim left by a crashed process
 * keeps the mailing `sending`, visibly one short, rather than declaring it done.
 */
export async function finishMailing(mailing: Mailing, now = new Date()): Promise<void> {
  const { pending, ...counts } = await countDeliveries(mailing.mailingId);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.mailing(mailing.eventId, mailing.mailingId),
      UpdateExpression: "SET sent = :sent, skipped = :skipped, failed = :failed",
      ExpressionAttributeValues: {
        ":sent": counts.sent,
        ":skipped": counts.skipped,
        ":failed": counts.failed,
      },
    }),
  );
  if (counts.sent + counts.skipped + counts.failed < mailing.recipients) return;
  try {
    await changeStatus(mailing, ["sending"], "sent", now);
  } catch (error) {
    if (error instanceof ConflictError) return; // cancelled meanwhile, or another step finished it
    throw error;
  }
  await publishEvents([
    message(mailingCompleted, {
      eventId: mailing.eventId,
      mailingId: mailing.mailingId,
      status: "sent",
      ...counts,
    }),
  ]);
}
