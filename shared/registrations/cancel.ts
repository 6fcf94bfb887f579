import { message } from "../bus/define-event.ts";
import { registrationCancelled } from "../bus/events/registration-cancelled.ts";
import { publishEvents } from "../bus/publish.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { registrationForToken } from "./manage-link.ts";
import { cancelRegistration, findRegistration } from "./registration-store.ts";

/**
 * Cancels a registration from its manage link: the token must be the one signed for this
 * registration, then as `cancelAndAnnounce`.
 */
export async function cancel(
  registrationId: string,
  token: string | undefined,
  now = new Date(),
): Promise<Registration> {
  return cancelAndAnnounce(await registrationForToken(registrationId, token), now);
}

/**
 * Cancels a registration, whoever asks (the registrant's link, an organiser).
 * 1. One transaction cancels it and frees its seat (or waitlist place).
 * 2. `registration.cancelled` is published: the cancellation mail goes out and, if a seat was
 *    freed, the oldest waitlisted registrant is promoted.
 * Cancelling again changes nothing, but publishes the event again: if the first publish failed
 * after the write, the retry still gets the mail out and the seat filled (both consumers are
 * idempotent).
 */
export async function cancelAndAnnounce(registration: Registration, now = new Date()): Promise<Registration> {
  const { registrationId } = registration;
  let cancelled: Registration;
  if (registration.status === "cancelled") {
    cancelled = registration;
  } else if (await cancelRegistration(registration, now)) {
    cancelled = {
      ...registration,
      status: "cancelled",
      cancelledFrom: registration.status,
      cancelledAt: now.toISOString(),
    };
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
