import { message } from "../bus/define-event.ts";
import { registrationPromoted } from "../bus/events/registration-promoted.ts";
import { isSessionOpen } from "../domain/registration-form.ts";
import { findEvent } from "../events/event-store.ts";
import { promoteOldestWaitlisted } from "./registration-store.ts";

/**
 * Fills the free seats of a session from its waitlist, oldest first, and publishes
 * `registration.promoted` for each promoted registrant (written with the promotion, in the
 * outbox, relayed from the table's stream). Safe to run twice for one cancellation:
 * each promotion re-checks the capacity in its transaction, so a duplicated event never
 * overbooks; it only fills seats that are really free.
 */
export async function promoteWaitlist(eventId: string, sessionId: string, now = new Date()): Promise<number> {
  const session = (await findEvent(eventId))?.sessions.find((candidate) => candidate.id === sessionId);
  // A cancelled session gives no seat: its registrants were told it will not take place.
  if (!session || !isSessionOpen(session, now)) return 0;
  let promoted = 0;
  for (;;) {
    const done = await promoteOldestWaitlisted(eventId, sessionId, session.capacity, now, (registration) =>
      message(registrationPromoted, {
        eventId,
        sessionId,
        registrationId: registration.registrationId,
        confirmationNumber: registration.confirmationNumber,
      }),
    );
    if (!done) return promoted;
    promoted++;
  }
}
