import type { Step } from "../bus/consumer.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { sessionCancelled } from "../bus/events/session-cancelled.ts";
import { pickText } from "../domain/languages.ts";
import { mailSettings } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl, switchUrlOf } from "../registrations/links.ts";
import { findEvent } from "./event-store.ts";
import { mailSessionRegistrants } from "./mail-session-registrants.ts";

type SessionCancelled = DetailOf<typeof sessionCancelled>;

/**
 * The delivery kind of a session's cancellation: one per registrant and session (a session is
 * cancelled once; a registrant moved from a cancelled session may see their new one cancelled too).
 */
export const sessionCancelledKind = (sessionId: string) => `session-cancelled-${sessionId}`;

export interface CancellationStepOptions extends Pick<Step, "timeLeftMs"> {
  /** Registrations read per Query page. */
  pageSize?: number;
  /** Below this much time left, the step hands the rest on instead of reading another page. */
  handOverMarginMs?: number;
  now?: Date;
}

/**
 * Consumer of `session.cancelled`: mails each registrant of the session who had not cancelled
 * (confirmed or waitlisted) one cancellation, with a CANCEL invite (same UID as their invites, a
 * higher SEQUENCE) for the confirmed, who hold one (the waitlisted never got an invite), and, when
 * the event has another session still open, the link to their page where they switch.
 * 1. Stops if the session is gone or not cancelled (nothing to announce).
 * 2. Mails them page by page with `mailSessionRegistrants`, claimed per registrant as
 *    `session-cancelled`: a duplicated event, a retried step or a request sent again mails nobody
 *    twice; the step hands on with a cursor when its time runs short.
 */
export async function sendSessionCancellations(
  detail: SessionCancelled,
  options: CancellationStepOptions,
): Promise<"finished" | "handed-on" | "superseded" | "nothing-to-do"> {
  const now = options.now ?? new Date();
  const event = await findEvent(detail.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === detail.sessionId);
  if (!event || !session?.cancelledAt) return "nothing-to-do";
  return mailSessionRegistrants({
    eventId: event.id,
    sessionId: session.id,
    cursor: detail.cursor,
    include: (registration) => registration.status !== "cancelled",
    deliveryKind: sessionCancelledKind(session.id),
    expiresAt: expiresAtOf(event),
    build: async (registration) => {
      const manage = await manageUrl(publicUrl, registration.registrationId);
      const otherSessionsUrl = switchUrlOf(event, session.id, manage, now);
      return buildRegistrationMail({
        kind: "session-cancelled",
        event,
        session,
        registration,
        manageUrl: manage,
        publicUrl,
        from: mailSettings.from,
        sessionCancellation: {
          ...(detail.message && { message: pickText(detail.message, registration.language) }),
          ...(otherSessionsUrl && { otherSessionsUrl }),
        },
      });
    },
    resumeAt: (cursor) => message(sessionCancelled, { ...detail, ...(cursor && { cursor }) }),
    timeLeftMs: options.timeLeftMs,
    ...(options.pageSize && { pageSize: options.pageSize }),
    ...(options.handOverMarginMs && { handOverMarginMs: options.handOverMarginMs }),
  });
}
