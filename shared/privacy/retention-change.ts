import { type BusMessage, message } from "../bus/define-event.ts";
import { retentionChanged } from "../bus/events/retention-changed.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { retentionApplied } from "./privacy-store.ts";
import { expiresAtOf } from "./retention.ts";

/**
 * The message that asks for the retention walk (`sync-retention.ts`) when an event's retention end
 * differs from the one its items were last given (a new event, a changed session date or
 * `retentionDays`): written with every save of an event that changes it (its outbox), so a walk
 * interrupted before its end is asked for again by the next save.
 */
export async function retentionChangeOf(
  eventId: string,
  event: Pick<WebinarEvent, "sessions" | "retentionDays">,
): Promise<BusMessage | undefined> {
  const expiresAt = expiresAtOf(event);
  if ((await retentionApplied(eventId)) === expiresAt) return undefined;
  return message(retentionChanged, { eventId, expiresAt });
}
