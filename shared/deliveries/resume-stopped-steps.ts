import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { db, queryPages, tableName } from "../aws/dynamo.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { publishEvents } from "../bus/publish.ts";
import { expiredLeaseSchema, takeOver } from "./lease.ts";

const deleteItem = (key: TableKey) => db.send(new DeleteCommand({ TableName: tableName, Key: key }));

/**
 * The sweeper: finds the steps whose lease expired (their process died, or the message that
 * should have continued them was lost) and publishes each one's resume message again, so mailings,
 * reminders and confirmations finish by themselves. The delivery records make the resumed step
 * mail only who has not been mailed. It is also the relay of last resort of the outbox
 * (`shared/bus/outbox.ts`): an outbox item whose message the request could not publish is
 * published here, then deleted. Returns how many steps were resumed.
 * 1. Reads the expired leases from gsi1 (`LEASES`, sorted by expiry: one Query, no Scan).
 * 2. Takes each over with a conditional write, then publishes its message.
 */
export async function resumeStoppedSteps(now = new Date()): Promise<number> {
  let resumed = 0;
  const failures: unknown[] = [];
  for await (const page of queryPages({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :leases AND gsi1sk < :now",
    ExpressionAttributeValues: { ":leases": keys.leases().gsi1pk, ":now": now.toISOString() },
  })) {
    const results = await Promise.allSettled(
      page.map(async (item) => {
        const expired = expiredLeaseSchema.parse(item);
        if (!(await takeOver(expired, now))) return false;
        // Published after the take-over: if publishing fails, the lease expires again and the
        // next sweep retries it.
        await publishEvents([expired.resume]);
        if (expired.relayOnce) await deleteItem({ pk: expired.pk, sk: expired.sk });
        return true;
      }),
    );
    for (const result of results) {
      if (result.status === "rejected") failures.push(result.reason);
      else if (result.value) resumed++;
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} stopped step(s) could not be resumed`);
  }
  return resumed;
}
