import { registrationDeliveries } from "../deliveries/delivery-store.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { findRegistration } from "./registration-store.ts";

/** A registration of this event, or a 404 (an id from another event is no registration of this one). */
export async function registrationOf(eventId: string, registrationId: string): Promise<Registration> {
  const registration = await findRegistration(registrationId);
  if (!registration || registration.eventId !== eventId) {
    throw new NotFoundError(`there is no registration "${registrationId}" in the event "${eventId}"`);
  }
  return registration;
}

/** One registrant as an organiser sees them: every field, and the mails sent to them with their outcome. */
export async function registrationDetail(eventId: string, registrationId: string) {
  const registration = await registrationOf(eventId, registrationId);
  return { registration, deliveries: await registrationDeliveries(registrationId) };
}
