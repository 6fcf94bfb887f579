import { ConflictError, ValidationError } from "../domain/errors.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";

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

/** Whether an organiser cancelled the session `sessionId` of the event (its registrants were told). */
export const isCancelledSession = (event: WebinarEvent, sessionId: string): boolean =>
  event.sessions.some((session) => session.id === sessionId && session.cancelledAt !== undefined);
