import { ConflictError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { getEvent } from "../events/event-store.ts";
import { cancelAndAnnounce } from "./cancel.ts";
import { confirmationOf, moveToSession, registrationChanged } from "./move.ts";
import { openSession } from "./open-session.ts";
import { registrationOf } from "./registration-detail.ts";
import { type PlaceOutcome, requestConfirmationResend, restoreRegistration } from "./registration-store.ts";

/**
 * Asks for a new confirmation (with its invite) for the registration's current state: the count
 * and the message go in one transaction (the outbox), relayed from the table's stream.
 */
async function announceConfirmation(registration: Registration, now: Date): Promise<void> {
  await requestConfirmationResend(registration, now, 0, (number) => confirmationOf(registration, number));
}

function placed(outcome: PlaceOutcome): "confirmed" | "waitlisted" {
  if (outcome.outcome === "placed") return outcome.status;
  if (outcome.outcome === "email-taken") {
    throw new ConflictError(
      "email-registered-again",
      "this address has registered again since: restore is not needed",
    );
  }
  throw registrationChanged();
}

/** An organiser cancels someone: as the registrant's own cancel link would (mail, seat freed). */
export async function cancelForRegistrant(eventId: string, registrationId: string, now = new Date()) {
  return cancelAndAnnounce(await registrationOf(eventId, registrationId), now);
}

/**
 * Gives a cancelled registrant their place back: a seat if one is free and nobody waits, else the
 * waiting list; they get the matching mail (a confirmation with its invite, or the waitlist mail),
 * asked for in the restore's own transaction (the outbox).
 */
export async function restore(eventId: string, registrationId: string, now = new Date()) {
  const registration = await registrationOf(eventId, registrationId);
  if (registration.status !== "cancelled") {
    throw new ConflictError(
      "registration-not-cancelled",
      `this registration is ${registration.status}, not cancelled`,
    );
  }
  const session = openSession(await getEvent(eventId), registration.sessionId, now);
  const status = placed(
    await restoreRegistration(registration, session.capacity, now, (number) => [
      confirmationOf(registration, number),
    ]),
  );
  return {
    ...registration,
    status,
    updatedAt: now.toISOString(),
    confirmationNumber: registration.confirmationNumber + 1,
  };
}

/**
 * Moves a registrant to another session: a seat there if one is free and nobody waits, else its
 * waiting list (`moveToSession`). They get the new session's mail and invite (same calendar
 * entry, moved); a seat they leave goes to the old session's waiting list.
 */
export async function move(eventId: string, registrationId: string, toSessionId: string, now = new Date()) {
  const registration = await registrationOf(eventId, registrationId);
  if (registration.status === "cancelled") {
    throw new ConflictError("registration-cancelled", "restore this registration before moving it");
  }
  return moveToSession(registration, await getEvent(eventId), toSessionId, "organiser", now);
}

/** Sends the registrant their confirmation (or waitlist mail) again, now. */
export async function resend(eventId: string, registrationId: string, now = new Date()) {
  const registration = await registrationOf(eventId, registrationId);
  if (registration.status === "cancelled") {
    throw new ConflictError(
      "registration-cancelled",
      "this registration is cancelled: there is nothing to resend",
    );
  }
  // No confirmation (with a REQUEST invite) for a session that will not take place.
  openSession(await getEvent(eventId), registration.sessionId, now);
  await announceConfirmation(registration, now);
  return registration;
}
