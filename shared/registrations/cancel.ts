import { message } from "../bus/define-event.ts";
import { registrationCancelled } from "../bus/events/registration-cancelled.ts";
import { publishEvents } from "../bus/publish.ts";
import { ConflictError, NotFoundError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { getEvent } from "../events/event-store.ts";
import { registrationForToken } from "./manage-link.ts";
import { isCancelledSession } from "./open-session.ts";
import { cancelRegistration, findRegistration } from "./registration-store.ts";

/**
 * Cancels a registration from its manage link: the token must be the one signed for this
 * registration, then as `cancelAndAnnounce`. Not in a session the organisers cancelled
 * (409 `session-cancelled`): its registrants were mailed its cancellation and its calendar CANCEL,
 * and cancelling again would only mail them a second one (the page offers no button for it).
 */
export async function cancel(
  registrationId: string,
  token: string | undefined,
  now = new Date(),
): Promise<Registration> {
  const registration = await registrationForToken(registrationId, token);
  if (
    registration.status !== "cancelled" &&
    isCancelledSession(await getEvent(registration.eventId), registration.sessionId)
  ) {
    throw new ConflictError(
      "session-cancelled",
      "the organisers cancelled this session and told its registrants: nothing is left to cancel (switch to another session from the manage page)",
    );
  }
  return cancelAndAnnounce(registration, now);
}

/**
 * Cancels a registration, whoever asks (the registrant's link, an organiser).
 * 1. One transaction cancels it, frees its seat (or waitlist place) and puts
 *    `registration.cancelled` in the outbox: the cancellation mail goes out and, if a seat was
 *    freed, the oldest waitlisted registrant is promoted.
 * 2. The outbox is relayed from the table's stream (the sweeper, should that fail).
 * Cancelling again changes nothing, but publishes the event again (both consumers are
 * idempotent).
 */
export async function cancelAndAnnounce(registration: Registration, now = new Date()): Promise<Registration> {
  const { registrationId } = registration;
  const announce = (previousStatus: "confirmed" | "waitlisted") =>
    message(registrationCancelled, {
      eventId: registration.eventId,
      registrationId,
      sessionId: registration.sessionId,
      previousStatus,
    });
  let cancelled: Registration;
  const written = await cancelRegistration(registration, now, announce);
  if (written && registration.status !== "cancelled") {
    // Written with the cancellation (the outbox): relayed from the table's stream.
    return {
      ...registration,
      status: "cancelled",
      cancelledFrom: registration.status,
      cancelledAt: now.toISOString(),
    };
  }
  if (registration.status === "cancelled") {
    cancelled = registration;
  } else {
    const current = await findRegistration(registrationId);
    if (!current) throw new NotFoundError("this registration no longer exists");
    cancelled = current;
  }
  if (cancelled.cancelledFrom) {
    await publishEvents([
      message(registrationCancelled, {
        eventId: cancelled.eventId,
        registrationId,
        sessionId: cancelled.sessionId,
        previousStatus: cancelled.cancelledFrom,
      }),
    ]);
  }
  return cancelled;
}
