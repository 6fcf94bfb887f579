import { sessionEnd } from "../domain/dates.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { defaultRetentionDays } from "../domain/event.ts";

const dayMs = 24 * 60 * 60 * 1000;

/**
 * When a registrant's data in an event is deleted, as DynamoDB's TTL attribute (`expiresAt`, epoch
 * seconds): the event's last session end plus its `retentionDays`. Computed here only: every item
 * holding a registrant's personal data (registration, uniqueness item, delivery records,
 * attendance pages, mailing recipient pages) is written with it, and the retention sync
 * (`sync-retention.ts`) rewrites it when the event's dates or retention change.
 */
export function expiresAtOf(event: Pick<WebinarEvent, "sessions" | "retentionDays">): number {
  const lastEnd = Math.max(
    ...event.sessions.map((session) => sessionEnd(session.startsAt, session.durationMinutes).getTime()),
  );
  return Math.ceil((lastEnd + (event.retentionDays ?? defaultRetentionDays) * dayMs) / 1000);
}
