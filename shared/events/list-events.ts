import { decodeCursor, encodeCursor, indexKeySchema } from "../aws/cursor.ts";
import { keys } from "../aws/table.ts";
import { ValidationError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { listEventsPage } from "./event-store.ts";

/** What the list of events shows of each: enough to choose one, not its texts in full. */
const summaryOf = (event: WebinarEvent) => ({
  id: event.id,
  title: event.title,
  sessions: event.sessions.map(({ id, language, startsAt, timezone, durationMinutes, capacity }) => ({
    id,
    language,
    startsAt,
    timezone,
    durationMinutes,
    ...(capacity !== undefined && { capacity }),
  })),
  createdAt: event.createdAt,
  updatedAt: event.updatedAt,
});
export type EventSummary = ReturnType<typeof summaryOf>;

/** One page of the events for organisers, latest-ending first (upcoming, then past). */
export async function listEvents(page: {
  limit: number;
  cursor?: string | undefined;
}): Promise<{ events: EventSummary[]; nextCursor?: string }> {
  const start = page.cursor === undefined ? undefined : decodeCursor(page.cursor, indexKeySchema);
  if (start && start.gsi1pk !== keys.allEvents().gsi1pk)
    throw new ValidationError([{ path: "cursor", message: "not a cursor returned by this API" }]);
  const { events, cursor } = await listEventsPage(page.limit, start);
  return { events: events.map(summaryOf), ...(cursor && { nextCursor: encodeCursor(cursor) }) };
}
