import { message } from "../bus/define-event.ts";
import { mailingRequested } from "../bus/events/mailing-requested.ts";
import { publishEvents } from "../bus/publish.ts";
import { handOnLease } from "../deliveries/lease.ts";
import { changeStatus, getMailing, type Mailing } from "./mailing-store.ts";

/**
 * Starts sending a draft: once only (409 the second time); the rest happens on the bus. The
 * mailing takes a lease naming `mailing.requested` in the same write, so that if the process dies
 * before publishing it, the sweeper does.
 */
export async function sendMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  const requested = message(mailingRequested, { eventId, mailingId });
  await changeStatus({ eventId, mailingId }, ["draft"], "sending", now, handOnLease(requested, now));
  try {
    await publishEvents([requested]);
  } catch (error) {
    // Nothing will send it: back to draft, so that the organiser can simply send again.
    await changeStatus({ eventId, mailingId }, ["sending"], "draft", now);
    throw error;
  }
  return getMailing(eventId, mailingId);
}
