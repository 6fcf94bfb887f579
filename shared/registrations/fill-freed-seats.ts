import { findEvent } from "../events/event-store.ts";
import { promoteWaitlist } from "./promote-waitlist.ts";

/**
 * After an event is saved: every seat its sessions have free (a capacity raised or removed) goes
 * to the oldest waitlisted registrants, each promotion announced once (`registration.promoted`,
 * through the outbox, which brings the confirmation mail). Each promotion re-checks the capacity in
 * its own transaction against the session's counter, so this is safe to run twice, concurrently
 * with registrations and cancellations, and with a capacity lowered below the confirmed count (it
 * then promotes nobody). Sessions that have started are left alone, as `promoteWaitlist` does.
 * Returns how many registrants were promoted.
 */
export async function fillFreedSeats(eventId: string, now = new Date()): Promise<number> {
  const event = await findEvent(eventId);
  if (!event) return 0;
  // An event has a handful of sessions; any failure fails the step, which the bus retries.
  const counts = await Promise.all(
    event.sessions.map((session) => promoteWaitlist(eventId, session.id, now)),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
