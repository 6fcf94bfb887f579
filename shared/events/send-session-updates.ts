import type { Step } from "../bus/consumer.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { sessionChanged } from "../bus/events/session-changed.ts";
import { mailSettings } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "../registrations/links.ts";
import { findEvent } from "./event-store.ts";
import { mailSessionRegistrants } from "./mail-session-registrants.ts";
import { sessionChangeNumber } from "./session-changes.ts";

type SessionChanged = DetailOf<typeof sessionChanged>;

/**
 * The delivery kind of a session's n-th change: one update per registrant, session and change (the
 * session in it, as change numbers are per session and a registrant may move between sessions).
 */
export const updateKind = (sessionId: string, change: number) => `update-${sessionId}-${change}`;

/**
 * Consumer of `session.changed`: mails the session's registrants what changed.
 * 1. Stops if a newer change of the session was saved (its own step mails the latest state), or if
 *    the session is gone, cancelled or has ended.
 * 2. Mails, page by page with `mailSessionRegistrants`, each registrant who registered before the
 *    change: a confirmed one an `update` (what changed, old and new start in the session's time
 *    zone and UTC, the join link and an updated invite: same UID, higher SEQUENCE, the new DTSTART),
 *    a waitlisted one a `waitlist-update` (the time only). Each is claimed as `update-<change>`, so
 *    a duplicated or retried step mails nobody twice. The newer-change check is made again before
 *    each page.
 */
export async function sendSessionUpdates(
  detail: SessionChanged,
  step: Pick<Step, "timeLeftMs">,
  now = new Date(),
): Promise<"finished" | "handed-on" | "superseded" | "nothing-to-do"> {
  const isCurrent = async () =>
    (await sessionChangeNumber(detail.eventId, detail.sessionId)) <= detail.change;
  if (!(await isCurrent())) return "superseded";
  const event = await findEvent(detail.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === detail.sessionId);
  if (!event || !session || session.cancelledAt) return "nothing-to-do";
  if (Date.parse(session.startsAt) + session.durationMinutes * 60_000 <= now.getTime())
    return "nothing-to-do";
  const startMoved = Date.parse(detail.previous.startsAt) !== Date.parse(session.startsAt);
  const change = {
    ...(startMoved && { previousStartsAt: detail.previous.startsAt }),
    joinLinkChanged: detail.previous.joinUrl !== session.joinUrl,
  };
  return mailSessionRegistrants({
    eventId: event.id,
    sessionId: session.id,
    cursor: detail.cursor,
    include: (registration) =>
      registration.status !== "cancelled" &&
      Date.parse(registration.createdAt) < Date.parse(detail.changedAt),
    deliveryKind: updateKind(session.id, detail.change),
    expiresAt: expiresAtOf(event),
    build: async (registration) =>
      buildRegistrationMail({
        kind: registration.status === "confirmed" ? "update" : "waitlist-update",
        event,
        session,
        registration,
        manageUrl: await manageUrl(publicUrl, registration.registrationId),
        publicUrl,
        from: mailSettings.from,
        change,
      }),
    resumeAt: (cursor) => message(sessionChanged, { ...detail, ...(cursor && { cursor }) }),
    stillCurrent: isCurrent,
    timeLeftMs: step.timeLeftMs,
  });
}
