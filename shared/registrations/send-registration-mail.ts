import { keys } from "../aws/table.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import type { Lease } from "../deliveries/lease.ts";
import type { Registration } from "../domain/registration.ts";
import { findEvent } from "../events/event-store.ts";
import { mailSettings, sendRawMail } from "../mail/mailer.ts";
import { buildRegistrationMail, type MailKind } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "./links.ts";
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
 * `sequence` tells resends apart (the n-th confirmation asked for). An address that bounced or
 * complained gets nothing (`suppressed`); one that only unsubscribed still gets these mails,
 * which are about a registration it keeps. The claim holds `lease`, which carries the event that
 * asked for the mail: if this step dies before the outcome is recorded, the sweeper publishes it
 * again once the lease has expired.
 */
export async function sendRegistrationMail(
  trigger: MailTrigger,
  registrationId: string,
  sequence = 1,
  lease?: Lease,
) {
  const registration = await findRegistration(registrationId);
  if (!registration) return "no-registration";
  const kind = mailKindFor(trigger, registration);
  const event = await findEvent(registration.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === registration.sessionId);
  if (!kind || !event || !session) return "nothing-to-send";

  const delivery = {
    key: keys.delivery(registrationId, kind, sequence),
    to: registration.email,
    audience: "registrant",
    expiresAt: expiresAtOf(event),
    ...(lease && { lease }),
  } as const;
  return deliverOnce(delivery, async () => {
    const mail = await buildRegistrationMail({
      kind,
      event,
      session,
      registration,
      manageUrl: await manageUrl(publicUrl, registrationId),
      publicUrl,
      from: mailSettings.from,
    });
    return sendRawMail({ raw: mail.raw, to: mail.to });
  });
}
