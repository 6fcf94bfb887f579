import { randomUUID } from "node:crypto";
import { message } from "../bus/define-event.ts";
import { confirmationRequested } from "../bus/events/confirmation-requested.ts";
import { registrationCreated } from "../bus/events/registration-created.ts";
import { ConflictError, ValidationError } from "../domain/errors.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";
import {
  privacyNoticeVersion,
  type Registration,
  type ValidRegistrationInput,
} from "../domain/registration.ts";
import { getEventForPublic } from "../events/event-store.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import {
  createRegistration,
  findRegistrationByEmail,
  requestConfirmationResend,
} from "./registration-store.ts";

/** A registrant who registers again gets their confirmation again, but not more often than this. */
export const confirmationResendGapMs = 10 * 60 * 1000;

export type RegisterResult =
  | { outcome: "created"; registration: Registration; event: WebinarEvent }
  | { outcome: "already-registered"; registration: Registration; event: WebinarEvent };

/**
 * Registers someone for a session.
 * 1. The event and session must exist, and the session must not have started.
 * 2. One transaction stores the registration as confirmed, or waitlisted when the session is full,
 *    with `registration.created` in the outbox (its consumer sends the confirmation or waitlist
 *    mail). That is the whole request: the outbox is relayed to the bus from the table's stream,
 *    so a bus that refuses `PutEvents` delays the mail and never fails the registration.
 * The same email again (any letter case) stores nothing, answers with the registration already
 * stored (so a client retrying after a lost answer gets the one it made), and re-sends the
 * confirmation, at most once per ten minutes.
 */
export async function register(
  eventId: string,
  input: ValidRegistrationInput,
  now = new Date(),
): Promise<RegisterResult> {
  // A warm container reuses an event read for up to 5 s: concurrent registrations never overbook
  // (the counter's condition in the transaction decides), and an organiser's change of capacity or
  // start time reaches every container within those 5 s.
  const event = await getEventForPublic(eventId);
  const session = openSession(event, input.sessionId, now);
  const { language, consent: _consent, ...fields } = input;
  const registration: Omit<Registration, "status"> = {
    ...fields,
    registrationId: randomUUID(),
    eventId,
    language: language ?? session.language,
    consent: { acceptedAt: now.toISOString(), noticeVersion: privacyNoticeVersion },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    confirmationNumber: 1,
    expiresAt: expiresAtOf(event),
  };

  const announce = (status: Registration["status"]) =>
    message(registrationCreated, {
      eventId,
      registrationId: registration.registrationId,
      sessionId: session.id,
      status,
    });
  let created = await createRegistration(registration, session.capacity, now, announce);
  while (created.outcome === "already-registered") {
    const existing = await findRegistrationByEmail(eventId, input.email);
    if (existing) {
      await resendConfirmation(existing, now);
      return { outcome: "already-registered", registration: existing, event };
    }
    // Cancelled between the two reads: the email is free again, so register it.
    created = await createRegistration(registration, session.capacity, now, announce);
  }
  const stored: Registration = { ...registration, status: created.status };
  return { outcome: "created", registration: stored, event };
}

/**
 * A session people may be placed in (by registering, or by an organiser's move, restore or
 * resend): it exists, is not cancelled and has not started.
 */
export function openSession(event: WebinarEvent, sessionId: string, now: Date): Session {
  const session = event.sessions.find((candidate) => candidate.id === sessionId);
  if (!session) {
    const known = event.sessions.map((candidate) => candidate.id).join(", ");
    throw new ValidationError([
      { path: "sessionId", message: `no session "${sessionId}" in this event (sessions: ${known})` },
    ]);
  }
  if (session.cancelledAt) throw new ConflictError("session-cancelled", "this session has been cancelled");
  if (Date.parse(session.startsAt) <= now.getTime()) {
    throw new ConflictError("registration-closed", "this session has started: registration is closed");
  }
  return session;
}

async function resendConfirmation(registration: Registration, now: Date) {
  await requestConfirmationResend(registration, now, confirmationResendGapMs, (number) =>
    message(confirmationRequested, {
      eventId: registration.eventId,
      registrationId: registration.registrationId,
      confirmationNumber: number,
    }),
  );
}
