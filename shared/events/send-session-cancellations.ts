import type { Step } from "../bus/consumer.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { sessionCancelled } from "../bus/events/session-cancelled.ts";
import { pickText } from "../domain/languages.ts";
import { mailSettings } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { urlTo } from "../paths.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "../registrations/links.ts";
import { findEvent } from "./event-store.ts";
import { mailSessionRegistrants } from "./mail-session-registrants.ts";

type SessionCancelled = DetailOf<typeof sessionCancelled>;

/** The delivery kind of a session's cancellation: one per registrant (a session is cancelled once). */
export const sessionCancelledKind = "session-cancelled";

export interface CancellationStepOptions extends Pick<Step, "timeLeftMs"> {
  /** Registrations read per Query page. */
  pageSize?: number;
  /** Below this much time left, the step hands the rest on instead of reading another page. */
  handOverMarginMs?: number;
  now?: Date;
}

/**
 * Consumer of `session.cancelled`: mails each registrant of the session who had not cancelled
 * (confirmed or waitlisted) one cancellation with a CANCEL invite (same UID as their invites, a
 * higher SEQUENCE) and, when the event has another session still open, the link to its form.
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
  const anotherOpen = event.sessions.some(
    (other) => other.id !== session.id && !other.cancelledAt && Date.parse(other.startsAt) > now.getTime(),
  );
  const otherSessionsUrl = anotherOpen
    ? urlTo(publicUrl, "registrationForm", { eventId: event.id })
    : undefined;
  return mailSessionRegistrants({
    eventId: event.id,
    sessionId: session.id,
    cursor: detail.cursor,
    include: (registration) => registration.status !== "cancelled",
    deliveryKind: sessionCancelledKind,
    expiresAt: expiresAtOf(event),
    build: async (registration) =>
      buildRegistrationMail({
        kind: "session-cancelled",
        event,
        session,
        registration,
        manageUrl: await manageUrl(publicUrl, registration.registrationId),
        publicUrl,
        from: mailSettings.from,
        sessionCancellation: {
          ...(detail.message && { message: pickText(detail.message, registration.language) }),
          ...(otherSessionsUrl && { otherSessionsUrl }),
        },
      }),
    resumeAt: (cursor) => message(sessionCancelled, { ...detail, ...(cursor && { cursor }) }),
    timeLeftMs: options.timeLeftMs,
    ...(options.pageSize && { pageSize: options.pageSize }),
    ...(options.handOverMarginMs && { handOverMarginMs: options.handOverMarginMs }),
  });
}
