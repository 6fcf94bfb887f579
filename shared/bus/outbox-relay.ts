import { errorFields, log } from "../observability.ts";
import { deleteOutboxItem, type OutboxEntry } from "./outbox.ts";
import { publishEvents } from "./publish.ts";

/**
 * Publishes committed outbox entries now and deletes them. A failure is not the request's: the
 * change is committed and its message kept, so the sweeper relays it; the caller answers as if
 * it had been published (a registrant whose registration was stored gets 201, not 500).
 */
export async function relay(entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await publishEvents(entries.map((entry) => entry.message));
    await Promise.all(entries.map((entry) => deleteOutboxItem(entry.key)));
  } catch (error) {
    log().warn("outbox: left for the sweeper to relay", { error: errorFields(error) });
  }
}
