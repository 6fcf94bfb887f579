import { message } from "../bus/define-event.ts";
import { registrationCancelled } from "../bus/events/registration-cancelled.ts";
import { publishEvents } from "../bus/publish.ts";
import type { Registration } from "../domain/registration.ts";
import { ForbiddenError, NotFoundError } from "../http/errors.ts";
import { verifyToken } from "../security/tokens.ts";
import { cancelRegistration, findRegistration } from "./registration-store.ts";

/**
 * The registration a manage link points to, once its token is checked. A wrong or altered token
 * and an unknown registration get the same 403, so links cannot be used to probe for ids.
 */
export async function registrationForToken(
  registrationId: string,
  token: string | undefined,
): Promise<Registration> {
  const valid = await verifyToken("manage-registration", registrationId, token);
  const registration = valid ? await findRegistration(registrationId) : undefined;
  if (!registration)
    throw new ForbiddenError("this link is not valid; use the link in your confirmation email");
  return registration;
}

/**
 * Cancels a registration from its manage link.
 * 1. The token must be the one signed for this registration.
 * 2. One transaction cancels it and frees its seat (or waitlist place).
 * 3. `registration.cancelled` is published: the cancellation mail goes out and, if a seat was
 *    freed, the oldest waitlisted registrant is promoted.
 * Cancelling twice changes nothing the second time.
 */
export async function cancel(
  registrationId: string,
  token: string | undefined,
  now = new Date(),
): Promise<Registration> {
  const registration = await registrationForToken(registrationId, token);
  if (registration.status === "cancelled") return registration;
  if (!(await cancelRegistration(registration, now))) {
    const current = await findRegistration(registrationId);
    if (!current) throw new NotFoundError("this registration no longer exists");
    return current;
  }
  await publishEvents([
    message(registrationCancelled, {
      eventId: registration.eventId,
      registrationId,
      sessionId: registration.sessionId,
      previousStatus: registration.status,
    }),
  ]);
  return { ...registration, status: "cancelled", cancelledAt: now.toISOString() };
}
