import type { EventSettings, WebinarEvent } from "../domain/event.ts";
import { requestRetentionSync } from "../privacy/sync-retention.ts";
import { syncReminders } from "../reminders/sync-reminders.ts";
import { saveEvent } from "./event-store.ts";

/**
 * Creates or replaces an event (organisers edit the whole event at once, as in the JSON file
 * they keep). Returns whether it was created.
 * 1. Saves the event's settings.
 * 2. Syncs its reminder schedule: one reminder per session and offset, moved with its session,
 *    skipped when already past. Should this step fail, the PUT fails and can simply be sent
 *    again: both steps give the same result however often they run.
 * 3. When the event's retention end (last session end + `retentionDays`) is not the one its
 *    items were last given, asks for the walk that gives it to them (`event.retention-changed`).
 */
export async function putEvent(
  id: string,
  settings: EventSettings,
  now = new Date(),
): Promise<{ event: WebinarEvent; created: boolean }> {
  const saved = await saveEvent(id, settings, now);
  await syncReminders(saved.event, now);
  await requestRetentionSync(saved.event);
  return saved;
}
