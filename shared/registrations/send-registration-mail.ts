import { keys } from "../aws/table.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import type { Lease } from "../deliveries/lease.ts";
import type { Registration } from "../domain/registration.ts";
import { findEvent } from "../events/event-store.ts";
import { mailSettings, sendRawMail } from "../mail/mailer.ts";
import {
  buildRegistrationMail,
  type MailKind,
  type RegistrationMailInput,
} from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl, switchUrlOf } from "./links.ts";
import { findRegistration } from "./registration-store.ts";

/** Why a registration mail is due: the bus event that asked for it. */
export type MailTrigger = "created" | "confirmation-requested" | "promoted" | "cancelled";

/**
 * The mail a trigger calls for, given the registration as it is now: a confirmation asked for by
 * someone who has since been promoted is a confirmation, not a waitlist mail; nothing is sent
 * for a registration cancelled in the meantime (except the cancellation mail itself).
 */
function mailKindFor(trigger: MailTrigger, registration: Registration): MailKind | undefined {
  if (trigger === "cancelled") return registration.status === "cancelled" ? "cancellation" : undefined;
  if (registration.status === "cancelled") return undefined;
  if (trigger === "promoted") return registration.status === "confirmed" ? "promotion" : undefined;
  return registration.status === "confirmed" ? "confirmation" : "waitlist";
}

/**
 * Sends the mail a registration event calls for, exactly once per (registration, kind, number):
 * a duplicated or retried event finds the delivery already claimed and sends nothing.
 * `sequence` tells mails of one kind apart: the n-th confirmation asked for, the confirmation
 * number a promotion was made at. Without it (a cancellation, or a message written before
 * promotions carried it), the registration's confirmation number as read, which each restore and
 * move counts and which cannot change while the registration stays cancelled: a registrant
 * cancelled again after a restore, or promoted again after a restore or a move, gets that mail
 * again, never twice for one. An address that bounced or complained gets nothing (`suppressed`); one that only unsubscribed still gets these mails,
 * which are about a registration it keeps. The claim holds `lease`, which carries the event that
 * asked for the mail: if this step dies before the outcome is recorded, the sweeper publishes it
 * again once the lease has expired.
 */
export async function sendRegistrationMail(
  trigger: MailTrigger,
  registrationId: string,
  sequence?: number,
  lease?: Lease,
) {
  const registration = await findRegistration(registrationId);
  if (!registration) return "no-registration";
  const number = sequence ?? registration.confirmationNumber;
  // A promotion not mailed before a move or a resend counted one: that later mail says it all.
  if (trigger === "promoted" && number !== registration.confirmationNumber) return "nothing-to-send";
  const kind = mailKindFor(trigger, registration);
  const event = await findEvent(registration.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === registration.sessionId);
  if (!kind || !event || !session) return "nothing-to-send";
  // Asked again (they registered again on the form) for a session the organisers cancelled: the
  // cancellation's news again, with the way to their own page's switch when another session is
  // open, rather than a confirmation and an invite of a session that will not take place.
  if (trigger === "confirmation-requested" && session.cancelledAt) {
    return mailOnce({ kind: "session-cancelled", event, session, registration }, number, lease, (manage) => {
      const otherSessionsUrl = switchUrlOf(event, session.id, manage, new Date());
      return { sessionCancellation: otherSessionsUrl ? { otherSessionsUrl } : {} };
    });
  }

  return mailOnce({ kind, event, session, registration }, number, lease);
}

/**
 * Sends the mail of a registrant's switch away from a session where they held a seat, once per
 * switch: its CANCEL removes that session's calendar entry (the UID it had before the switch).
 * Sent whatever became of the registration since, as long as it exists: the entry is still there.
 */
export async function sendSwitchedMail(
  registrationId: string,
  fromSessionId: string,
  switchCount: number,
  lease?: Lease,
) {
  const registration = await findRegistration(registrationId);
  if (!registration) return "no-registration";
  const event = await findEvent(registration.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === fromSessionId);
  if (!event || !session) return "nothing-to-send";
  const left = { ...registration, sessionId: fromSessionId, switchCount: switchCount - 1 };
  return mailOnce({ kind: "switched", event, session, registration: left }, switchCount, lease);
}

/** Claims the delivery of (registration, kind, sequence), then builds and sends the mail. */
async function mailOnce(
  mail: Pick<RegistrationMailInput, "kind" | "event" | "session" | "registration">,
  sequence: number,
  lease: Lease | undefined,
  /** What the mail needs besides, given the registrant's manage link. */
  more: (manageUrl: string) => Partial<RegistrationMailInput> = () => ({}),
) {
  const { registrationId, email } = mail.registration;
  const delivery = {
    key: keys.delivery(registrationId, mail.kind, sequence),
    to: email,
    audience: "registrant",
    expiresAt: expiresAtOf(mail.event),
    ...(lease && { lease }),
  } as const;
  return deliverOnce(delivery, async (sendOptions) => {
    const manage = await manageUrl(publicUrl, registrationId);
    const built = await buildRegistrationMail({
      ...mail,
      ...more(manage),
      manageUrl: manage,
      publicUrl,
      from: mailSettings.from,
    });
    return sendRawMail({ raw: built.raw, to: built.to }, sendOptions);
  });
}
