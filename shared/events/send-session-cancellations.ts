import { keys } from "../aws/table.ts";
import type { Step } from "../bus/consumer.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { sessionCancelled } from "../bus/events/session-cancelled.ts";
import { publishEvents } from "../bus/publish.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import { pickText } from "../domain/languages.ts";
import type { Registration } from "../domain/registration.ts";
import { mailSettings, sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { urlTo } from "../paths.ts";
import { runPool } from "../pool.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "../registrations/links.ts";
import { listSessionRegistrations } from "../registrations/registration-store.ts";
import { suppressionsOf } from "../suppression/suppression-store.ts";
import { findEvent } from "./event-store.ts";

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
 * 2. Pages through the session's registrations (a Query on gsi1, from the message's cursor).
 * 3. Claims `session-cancelled` per registrant before sending (`deliverOnce`): a duplicated event,
 *    a retried step or a request sent again mails nobody twice. Suppressed addresses get nothing.
 * 4. Hands on with the cursor when its time runs short. A failed send fails the step after its
 *    page, to be retried from its cursor (those already mailed find their claims).
 */
export async function sendSessionCancellations(
  detail: SessionCancelled,
  options: CancellationStepOptions,
): Promise<"finished" | "handed-on" | "nothing-to-do"> {
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
  const concurrency = await sendConcurrency();

  const send = (registration: Registration, suppressions: Awaited<ReturnType<typeof suppressionsOf>>) =>
    deliverOnce(
      {
        key: keys.delivery(registration.registrationId, sessionCancelledKind, 1),
        to: registration.email,
        audience: "registrant",
        suppressions,
        expiresAt: expiresAtOf(event),
      },
      async (sendOptions) => {
        const mail = await buildRegistrationMail({
          kind: "session-cancelled",
          event,
          session,
          registration,
          manageUrl: await manageUrl(publicUrl, registration.registrationId),
          publicUrl,
          from: mailSettings.senderEmail,
          sessionCancellation: {
            ...(detail.message && { message: pickText(detail.message, registration.language) }),
            ...(otherSessionsUrl && { otherSessionsUrl }),
          },
        });
        return sendRawMail({ raw: mail.raw, to: mail.to }, sendOptions);
      },
    );

  let cursor = detail.cursor;
  do {
    if (cursor && options.timeLeftMs() < (options.handOverMarginMs ?? 20_000)) {
      await publishEvents([message(sessionCancelled, { ...detail, cursor })]);
      return "handed-on";
    }
    const page = await listSessionRegistrations(event.id, session.id, undefined, {
      limit: options.pageSize ?? 250,
      cursor,
    });
    const recipients = page.registrations.filter((registration) => registration.status !== "cancelled");
    const suppressions = await suppressionsOf(recipients.map((registration) => registration.email));
    const { settled } = await runPool(recipients, concurrency, (registration) =>
      send(registration, suppressions),
    );
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length > 0) {
      throw new AggregateError(failures, `${failures.length} cancellation(s) could not be sent; retried`);
    }
    cursor = page.cursor;
  } while (cursor);
  return "finished";
}
