import { message } from "../bus/define-event.ts";
import { confirmationRequested } from "../bus/events/confirmation-requested.ts";
import { registrationCancelled } from "../bus/events/registration-cancelled.ts";
import { registrationSwitched } from "../bus/events/registration-switched.ts";
import { ConflictError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { Registration } from "../domain/registration.ts";
import { isCancelledSession, openSession } from "./open-session.ts";
import { findRegistration, moveRegistration, type PlaceOutcome } from "./registration-store.ts";

/** The message that asks for the registration's `confirmationNumber`-th confirmation. */
export const confirmationOf = (registration: Registration, confirmationNumber: number) =>
  message(confirmationRequested, {
    eventId: registration.eventId,
    registrationId: registration.registrationId,
    confirmationNumber,
  });

/** Who moves a registrant: an organiser moves the calendar entry, a registrant's switch replaces it. */
export type Mover = "organiser" | "registrant";

/**
 * Moves a registrant to another session of their event, for an organiser (`move`) or for the
 * registrant (`switchSession`).
 * 1. The registration must not be cancelled; the session must be open (`openSession`: exists,
 *    not cancelled, not started). Moving to the session it is in changes nothing.
 * 2. One transaction (`moveRegistration`) moves it: a seat there if one is free and nobody waits,
 *    else its waiting list; the old session's counter gives back the seat or place. Its messages
 *    go in the same transaction (the outbox): the new session's confirmation or waitlist mail
 *    (a new confirmation number, so each move mails once); for a seat left behind,
 *    `registration.cancelled` of the old session, whose oldest waitlisted registrant takes it.
 * 3. A registrant's switch is counted (`switchCount`): the new session is a new calendar entry,
 *    and a seat left behind gets its own mail whose CANCEL removes the old entry
 *    (`registration.switched`). An organiser's move keeps the entry and moves it.
 * When the registration changed between the read and the write, a registration found already in
 * the target session is the answer (a form submitted twice); anything else is a 409.
 */
export async function moveToSession(
  registration: Registration,
  event: WebinarEvent,
  toSessionId: string,
  by: Mover,
  now = new Date(),
): Promise<Registration> {
  if (registration.status === "cancelled") {
    throw new ConflictError(
      "registration-cancelled",
      "this registration is cancelled: register again instead",
    );
  }
  if (registration.sessionId === toSessionId) return registration;
  const session = openSession(event, toSessionId, now);
  const { eventId, registrationId } = registration;
  const switchCount = (registration.switchCount ?? 0) + 1;
  // A cancelled session has no seat to give back nor waiting list to fill, and its cancellation
  // mail already removed the registrant's calendar entry: moving out of it mails only the new one.
  const leavesSeat =
    registration.status === "confirmed" && !isCancelledSession(event, registration.sessionId);
  const outcome = await moveRegistration(
    registration,
    { sessionId: session.id, capacity: session.capacity },
    now,
    (number) => [
      confirmationOf(registration, number),
      ...(leavesSeat
        ? [
            message(registrationCancelled, {
              eventId,
              registrationId,
              sessionId: registration.sessionId,
              previousStatus: "confirmed" as const,
            }),
          ]
        : []),
      ...(leavesSeat && by === "registrant"
        ? [
            message(registrationSwitched, {
              eventId,
              registrationId,
              fromSessionId: registration.sessionId,
              switchCount,
            }),
          ]
        : []),
    ],
    { countSwitch: by === "registrant" },
  );
  if (outcome.outcome === "placed") {
    return {
      ...registration,
      sessionId: session.id,
      status: outcome.status,
      updatedAt: now.toISOString(),
      confirmationNumber: registration.confirmationNumber + 1,
      ...(by === "registrant" && { switchCount }),
    };
  }
  return alreadyMoved(registrationId, toSessionId, outcome);
}

async function alreadyMoved(registrationId: string, toSessionId: string, outcome: PlaceOutcome) {
  const current = await findRegistration(registrationId);
  if (
    outcome.outcome === "changed-meanwhile" &&
    current?.status !== "cancelled" &&
    current?.sessionId === toSessionId
  )
    return current;
  throw registrationChanged();
}

/** A 409 for a change made on a registration as read, which has changed since. */
export const registrationChanged = () =>
  new ConflictError("registration-changed", "this registration changed meanwhile; reload it and try again");
