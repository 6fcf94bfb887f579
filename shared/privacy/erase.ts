import { batchWrite } from "../aws/batch-write.ts";
import { keys, type TableKey } from "../aws/table.ts";
import { message } from "../bus/define-event.ts";
import { registrationErasure } from "../bus/events/registration-erasure.ts";
import { leaseFor } from "../deliveries/lease.ts";
import { NotFoundError } from "../domain/errors.ts";
import { normalizeEmail, type Registration } from "../domain/registration.ts";
import { findEvent } from "../events/event-store.ts";
import { listEventMailings } from "../mailings/mailing-store.ts";
import { promoteWaitlist } from "../registrations/promote-waitlist.ts";
import { erasedAddressItem } from "./erased-addresses.ts";
import {
  allKeys,
  markErasing,
  putTombstone,
  readList,
  registrationState,
  stripMailingDelivery,
  writeList,
} from "./privacy-store.ts";
import { expiresAtOf } from "./retention.ts";

/**
 * How long the first step's lease holds: the rest of an erasure takes a few seconds in the request
 * that asked for it; past this, its process is known to have stopped and the sweeper publishes
 * `registration.erasure` to finish it.
 */
const erasureStepMs = 30_000;

/** A tombstone stays this long (it holds no personal data; its manage link says "deleted"). */
const tombstoneKeptSeconds = 365 * 24 * 3600;

/** `not-erasing`: a late message about a registration that is not being erased; nothing to do. */
export type ErasureOutcome = "erased" | "already-erased" | "not-erasing";

/**
 * Erases everything stored about a registrant, whoever asks (their manage link, an organiser).
 * Steps that can each be run again, so a crash anywhere leaves nothing half-deleted for long:
 * 1. One transaction marks the registration as being erased and cancelled, frees its seat (or
 *    waiting-list place) and uniqueness item, writes the event's mark of the erased address (so
 *    that no later attendance import lists them again: `erased-addresses.ts`), and takes a lease
 *    carrying `registration.erasure`:
 *    if this process stops before step 3, the sweeper publishes it and `finishErasure` completes.
 * 2. `finishErasure` strips the rest (below).
 * Erasing an erased registration changes nothing (`already-erased`).
 */
export async function eraseRegistration(registrationId: string, now = new Date()): Promise<ErasureOutcome> {
  for (;;) {
    const current = await registrationState(registrationId);
    if (current.state === "absent") throw new NotFoundError(`there is no registration "${registrationId}"`);
    if (current.state === "erased") return "already-erased";
    if (current.state === "erasing") return finishErasure(registrationId, now);
    const resume = message(registrationErasure, { registrationId });
    const { registration } = current;
    const event = await findEvent(registration.eventId);
    // Without its event (deleted), no report of it can be imported again: nothing to mark.
    const erasedAddress = event
      ? await erasedAddressItem(event.id, registration.email, expiresAtOf(event))
      : undefined;
    if (await markErasing(registration, leaseFor(erasureStepMs, resume, now), now, erasedAddress)) {
      return finishErasure(registrationId, now);
    }
    // Changed between the read and the transaction (cancelled, promoted, moved): read it again.
  }
}

/** An organiser's erasure of one registrant of an event: a 404 for an id that is none of its registrations. */
export async function eraseRegistrationOf(eventId: string, registrationId: string): Promise<ErasureOutcome> {
  const current = await registrationState(registrationId);
  const of =
    current.state === "absent"
      ? undefined
      : current.state === "erased"
        ? current.tombstone.eventId
        : current.registration.eventId;
  if (of !== eventId) {
    throw new NotFoundError(`there is no registration "${registrationId}" in the event "${eventId}"`);
  }
  return eraseRegistration(registrationId);
}

/**
 * Steps 2 and 3 of an erasure, for a registration marked as being erased (step 1). Each part is
 * idempotent, so a retry or the sweeper's message redoes what a stopped run left:
 * 2. deletes its delivery records; takes it out of the recipient pages of the event's mailings
 *    (their delivery records keep their state, for the counts, without the refusal reason that may
 *    quote the address) and out of the attendance records of the event's sessions (the import
 *    counts, anonymous numbers, stay); if its seat was freed, the waiting list is promoted as
 *    a cancellation would;
 * 3. replaces the registration with a tombstone of ids only, which drops the lease.
 */
export async function finishErasure(registrationId: string, now = new Date()): Promise<ErasureOutcome> {
  const current = await registrationState(registrationId);
  if (current.state === "erased") return "already-erased";
  if (current.state !== "erasing") return "not-erasing";
  const { registration } = current;
  const event = await findEvent(registration.eventId);

  await batchWrite(
    (await allKeys(keys.registrationDeliveries(registrationId))).map((key) => ({ delete: key })),
  );
  await forgetInMailings(registration);
  if (event)
    await forgetInAttendance(
      registration,
      event.sessions.map((session) => session.id),
    );
  if (registration.cancelledFrom === "confirmed") {
    await promoteWaitlist(registration.eventId, registration.sessionId, now);
  }

  const { eventId, sessionId, language } = registration;
  await putTombstone(
    { registrationId, eventId, sessionId, language, erasedAt: now.toISOString() },
    event ? expiresAtOf(event) : Math.ceil(now.getTime() / 1000) + tombstoneKeptSeconds,
  );
  return "erased";
}

const registrationIdOf = (entry: unknown) =>
  typeof entry === "object" && entry !== null && "registrationId" in entry ? entry.registrationId : undefined;
const emailOf = (entry: unknown) =>
  typeof entry === "object" && entry !== null && "email" in entry && typeof entry.email === "string"
    ? normalizeEmail(entry.email)
    : undefined;

/**
 * Rewrites a page's list without the registrant's entries (by registration id or address), on
 * condition that the page is still as read; read again and retried when another erasure (or a
 * writer of the page) changed it meanwhile.
 */
async function forgetInPage(key: TableKey, attribute: "recipients" | "records", registration: Registration) {
  const address = normalizeEmail(registration.email);
  for (;;) {
    const page = await readList(key, attribute);
    if (!page) return;
    const kept = page.list.filter(
      (entry) => registrationIdOf(entry) !== registration.registrationId && emailOf(entry) !== address,
    );
    if (kept.length === page.list.length) return;
    if (await writeList(key, attribute, kept, page.version)) return;
  }
}

async function forgetInMailings(registration: Registration) {
  for (const mailing of await listEventMailings(registration.eventId)) {
    await stripMailingDelivery(keys.mailingDelivery(mailing.mailingId, registration.registrationId));
    for (let page = 0; page < (mailing.pages ?? 0); page++) {
      await forgetInPage(keys.mailingRecipients(mailing.mailingId, page), "recipients", registration);
    }
  }
}

async function forgetInAttendance(registration: Registration, sessionIds: readonly string[]) {
  for (const sessionId of sessionIds) {
    const { pk, skPrefix } = keys.sessionAttendance(registration.eventId, sessionId);
    for (const key of await allKeys({ pk, skPrefix })) await forgetInPage(key, "records", registration);
  }
}
