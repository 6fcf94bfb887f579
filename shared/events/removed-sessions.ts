import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { ConflictError } from "../domain/errors.ts";
import type { EventSettings, WebinarEvent } from "../domain/event.ts";
import { getSessionCounters } from "../registrations/registration-store.ts";

/**
 * How many cancelled registrations a session has: a Query on the session's registrations index
 * counting only (`Select: COUNT`, page after page), never a Scan. Cancellations are not counted on
 * the session's counter item, which holds the confirmed and waitlisted counts.
 */
async function cancelledCount(eventId: string, sessionId: string): Promise<number> {
  const { gsi1pk, gsi1skPrefix } = keys.sessionRegistrations(eventId, sessionId, "cancelled");
  let count = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
        ExpressionAttributeValues: { ":pk": gsi1pk, ":prefix": gsi1skPrefix },
        Select: "COUNT",
        ExclusiveStartKey: cursor,
      }),
    );
    count += page.Count ?? 0;
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return count;
}

/**
 * Refuses a save that would drop a session someone registered for (even if they cancelled since):
 * their registration would point at nothing (gone from the export and the stats, a manage page with
 * no session). Such a session is cancelled instead, which tells its registrants. The error names
 * each session and its counts (confirmed, waitlisted, cancelled).
 */
export async function refuseRemovingRegisteredSessions(
  previous: WebinarEvent | undefined,
  next: EventSettings,
): Promise<void> {
  if (!previous) return;
  const kept = new Set(next.sessions.map((session) => session.id));
  const removed = previous.sessions.filter((session) => !kept.has(session.id));
  const registered = (
    await Promise.all(
      removed.map(async (session) => {
        const [counters, cancelled] = await Promise.all([
          getSessionCounters(previous.id, session.id),
          cancelledCount(previous.id, session.id),
        ]);
        return { id: session.id, ...counters, cancelled };
      }),
    )
  ).filter((counts) => counts.confirmed + counts.waitlisted + counts.cancelled > 0);
  if (registered.length === 0) return;
  const named = registered.map(
    (counts) =>
      `"${counts.id}" (${counts.confirmed} confirmed, ${counts.waitlisted} waitlisted, ${counts.cancelled} cancelled)`,
  );
  throw new ConflictError(
    "session-has-registrations",
    `the event would no longer have session ${named.join(", session ")}, which people registered for: ` +
      "keep it, or cancel it (POST /admin/events/{eventId}/sessions/{sessionId}/cancel), which tells them",
  );
}
