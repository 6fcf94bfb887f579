import { keys, type TableKey } from "../aws/table.ts";
import type { Step } from "../bus/consumer.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { retentionChanged } from "../bus/events/retention-changed.ts";
import { publishEvents } from "../bus/publish.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { findEvent } from "../events/event-store.ts";
import { runPool } from "../pool.ts";
import { allKeys, type ItemQuery, markRetentionApplied, queryKeys, setExpiresAt } from "./privacy-store.ts";
import { expiresAtOf } from "./retention.ts";

type RetentionChanged = DetailOf<typeof retentionChanged>;

/**
 * One query of the walk, and how each item it finds expands to the items to update: a
 * registration found in a session's list brings its whole partition (the registration and its
 * delivery records), a mailing its own (recipient pages and delivery records).
 */
interface Source {
  query: ItemQuery;
  expand?: (key: TableKey) => ItemQuery;
}

/** Every item holding an event's registrants' data, as queries (never a Scan), in a fixed order. */
function sourcesOf(event: WebinarEvent): Source[] {
  return [
    { query: keys.eventEmailLocks(event.id) },
    ...event.sessions.flatMap((session): Source[] => {
      const { gsi1pk, gsi1skPrefix } = keys.sessionRegistrations(event.id, session.id);
      return [
        { query: { gsi1pk, gsi1skPrefix }, expand: (key) => ({ pk: key.pk }) },
        { query: keys.attendancePartition(event.id, session.id) },
      ];
    }),
    {
      query: keys.eventMailings(event.id),
      expand: (key) => keys.mailingPartition(key.sk.slice("MAILING#".length)),
    },
    // The marks of erased addresses (`erased-addresses.ts`), kept as long as the records they keep
    // people out of. Last, so that a walk's cursor written before it existed still points right.
    { query: keys.erasedAddresses(event.id) },
  ];
}

/** Updates in flight at once: quick, without flooding one partition. */
const concurrency = 8;
/** A step hands on while this much of its time is left. */
const marginMs = 20_000;

/**
 * Consumer of `event.retention-changed`: gives every item holding the event's registrants' data the
 * event's new `expiresAt`, page by page.
 * 1. Stops if the event's retention end is no longer the message's (a newer message walks).
 * 2. Walks the sources from the cursor; each item found (and what it expands to) gets `expiresAt`,
 *    on condition that it still exists. Setting a value twice changes nothing, so a duplicated or
 *    retried step is harmless.
 * 3. Hands on with a cursor when its time runs short; at the end, records on the event that its
 *    items have this retention end.
 */
export async function syncRetention(
  detail: RetentionChanged,
  step: Pick<Step, "timeLeftMs">,
): Promise<"superseded" | "handed-on" | "finished"> {
  const event = await findEvent(detail.eventId);
  if (!event || expiresAtOf(event) !== detail.expiresAt) return "superseded";
  const sources = sourcesOf(event);
  let { source, key } = detail.cursor ?? { source: 0, key: undefined };
  while (source < sources.length) {
    const current = sources[source] as Source;
    const page = await queryKeys(current.query, key);
    const { settled } = await runPool(page.keys, concurrency, async (found) => {
      const items = current.expand ? await allKeys(current.expand(found)) : [found];
      for (const item of items) await setExpiresAt(item, detail.expiresAt);
    });
    const failure = settled.find((result) => result.status === "rejected");
    if (failure) throw failure.reason;
    key = page.next;
    if (!key) source++;
    if (source < sources.length && step.timeLeftMs() < marginMs) {
      await publishEvents([message(retentionChanged, { ...detail, cursor: { source, key } })]);
      return "handed-on";
    }
  }
  await markRetentionApplied(event.id, detail.expiresAt);
  return "finished";
}
