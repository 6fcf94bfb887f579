import { isDeepStrictEqual } from "node:util";
import { tableName } from "../aws/dynamo.ts";
import { message } from "../bus/define-event.ts";
import { eventSaved } from "../bus/events/event-saved.ts";
import { outboxEntry } from "../bus/outbox.ts";
import { ConflictError } from "../domain/errors.ts";
import type { EventSettings, WebinarEvent } from "../domain/event.ts";
import { renderDescriptionText } from "../mail/description-text.ts";
import { renderDescriptionHtml } from "../mailings/content/description-html.ts";
import { retentionChangeOf } from "../privacy/retention-change.ts";
import { syncReminders } from "../reminders/sync-reminders.ts";
import { findEvent, saveEvent } from "./event-store.ts";
import { refuseRemovingRegisteredSessions } from "./removed-sessions.ts";
import { announceSessionChanges } from "./session-changes.ts";

/**
 * Creates or replaces an event (organisers edit the whole event at once, as in the JSON file
 * they keep). Returns whether it was created.
 * 1. Refuses (409) to remove a session that people registered for: it can be cancelled instead.
 *    (Not airtight: a registration accepted between this check and the save, or by a warm
 *    container still holding the event it read less than 5 s before, `getEventForPublic`, is not
 *    seen.)
 * 2. Saves the event's settings (its description rendered to the pages' HTML and to the calendars'
 *    plain text once, here, from its Markdown: `renderDescriptionHtml`, `renderDescriptionText`),
 *    its sessions' cancellations as stored (only the cancel route cancels a session, and nothing un-cancels one), on condition that the stored event is still
 *    the one read (`saveOverStored`: 409 for an `If-Match` that is not the stored version).
 *    With the save, in the same transaction (its outbox): `event.saved`, whose consumer gives the
 *    seats a raised or removed capacity freed to the waitlist (after every save, not only when a
 *    capacity grew; promoting is idempotent), and, when the event's retention end (last session
 *    end + `retentionDays`) is not the one its items were last given, `event.retention-changed`,
 *    which asks for the walk that gives it to them. Neither can be lost once the save is made.
 * 3. Announces each session whose start, duration or join link changed (`session.changed`, through
 *    the outbox, with the session's change number): its registrants get an update mail, once.
 *    An edit of the title or description announces nothing. Right after the save: should this
 *    step or the next fail, the PUT fails, and the same PUT sent again completes them (both steps
 *    give the same result however often they run), even with the `If-Match` it had: see below.
 * 4. Syncs its reminder schedule: one reminder per session and offset, moved with its session,
 *    skipped when already past.
 */
export async function putEvent(
  id: string,
  settings: EventSettings,
  now = new Date(),
  ifMatch?: string,
): Promise<{ event: WebinarEvent; created: boolean }> {
  const rendered = {
    ...settings,
    descriptionHtml: renderDescriptionHtml(settings.description),
    descriptionText: renderDescriptionText(settings.description),
  };
  const { previous, saved } = await saveOverStored(id, rendered, now, ifMatch);
  await announceSessionChanges(previous, saved.event, now);
  await syncReminders(saved.event, now);
  return saved;
}

/**
 * The save of steps 1–2, on condition that the stored event is still the one read. With
 * `ifMatch` (the client's `If-Match`: the `updatedAt` of the event its edit is based on), an
 * event saved since answers 409, so an edit made on an older copy never overwrites a newer one,
 * unless what is stored is that very edit (the same PUT sent again: the console keeps its
 * `If-Match` after a failed save), whose remaining steps then run again.
 * Without it, the stored cancellations are merged into the body and the save is retried on a
 * fresh read until its condition holds: a cancellation saved meanwhile is never dropped.
 */
async function saveOverStored(id: string, settings: EventSettings, now: Date, ifMatch: string | undefined) {
  const expected = ifMatch === undefined ? undefined : versionOf(ifMatch);
  for (;;) {
    const previous = await findEvent(id, true);
    if (expected !== undefined && expected !== (previous?.updatedAt ?? "")) {
      // The very edit, stored already: the same PUT sent again after a failure that came after its
      // save (its If-Match was not moved on). Its remaining steps run again; nothing is refused.
      if (previous && sameSettings(previous, keepCancellations(previous, settings))) {
        return { previous, saved: { event: previous, created: false } };
      }
      throw new ConflictError(
        "event-changed",
        `the event was saved since the copy this edit is based on (If-Match ${ifMatch}, stored ${previous?.updatedAt ?? "nothing"}): read it again and apply the edit to it`,
      );
    }
    await refuseRemovingRegisteredSessions(previous, settings);
    const stored = keepCancellations(previous, settings);
    const announcements = [message(eventSaved, { eventId: id }), await retentionChangeOf(id, stored)];
    const outbox = announcements.flatMap((announcement) =>
      announcement ? [{ Put: { TableName: tableName, Item: outboxEntry(announcement, now).item } }] : [],
    );
    const saved = await saveEvent(id, stored, now, previous, outbox);
    // Saved by someone else since the read: read again (with `ifMatch`, that read answers 409).
    if (saved) return { previous, saved };
  }
}

/** Whether a stored event holds exactly these settings (its id and times aside). */
function sameSettings(stored: WebinarEvent, settings: EventSettings): boolean {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...storedSettings } = stored;
  return isDeepStrictEqual(storedSettings, settings);
}

/**
 * The version an `If-Match` names: the event's `updatedAt`, as an entity tag (`"…"`, `W/"…"`) or
 * bare; `*` matches any stored event.
 */
function versionOf(ifMatch: string): string | undefined {
  const tag = ifMatch
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
  return tag === "*" ? undefined : tag;
}

/** The settings with each session's `cancelledAt` as stored, whatever the body said. */
function keepCancellations(previous: WebinarEvent | undefined, settings: EventSettings): EventSettings {
  const cancelled = new Map(previous?.sessions.map((session) => [session.id, session.cancelledAt]));
  return {
    ...settings,
    sessions: settings.sessions.map(({ cancelledAt: _asked, ...session }) => {
      const cancelledAt = cancelled.get(session.id);
      return cancelledAt ? { ...session, cancelledAt } : session;
    }),
  };
}
