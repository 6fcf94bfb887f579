import type { EventSettings, WebinarEvent } from "../domain/event.ts";
import { saveEvent } from "./event-store.ts";

/**
 * Creates or replaces an event (organisers edit the whole event at once, as in the JSON file
 * they keep). Returns whether it was created.
 */
export async function putEvent(
  id: string,
  settings: EventSettings,
  now = new Date(),
): Promise<{ event: WebinarEvent; created: boolean }> {
  return saveEvent(id, settings, now);
}
