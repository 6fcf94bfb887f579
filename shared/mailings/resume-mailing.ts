import { message } from "../bus/define-event.ts";
import { mailingRequested } from "../bus/events/mailing-requested.ts";
import { publishEvents } from "../bus/publish.ts";
import { handOnLease } from "../deliveries/lease.ts";
import { ConflictError } from "../domain/errors.ts";
import {
  countDeliveries,
  getMailing,
  type Mailing,
  renewLeaseOfSending,
  resumeMessageOf,
  setCounts,
} from "./mailing-store.ts";

/**
 * Resumes a sending mailing now, for an organiser who does not want to wait for the sweeper.
 * 1. Only a `sending` mailing can be resumed (409 otherwise, naming its status).
 * 2. Its counts are set from its delivery records, so they say what was really sent.
 * 3. Publishes the step its lease names (from its cursor), or its dispatch if it holds none, and
 *    moves the lease on so the sweeper does not publish the same step again at once. If the chain
 *    is in fact alive, the step runs beside it and the delivery claims mail nobody twice.
 */
export async function resumeMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  const mailing = await getMailing(eventId, mailingId);
  if (mailing.status !== "sending") {
    throw new ConflictError(
      `mailing-${mailing.status}`,
      `this mailing is ${mailing.status}: only a mailing being sent can be resumed`,
    );
  }
  const { pending: _pending, ...counts } = await countDeliveries(mailingId);
  await setCounts(mailing, counts);
  const step = (await resumeMessageOf(mailing)) ?? message(mailingRequested, { eventId, mailingId });
  if (await renewLeaseOfSending(mailing, handOnLease(step, now))) await publishEvents([step]);
  return getMailing(eventId, mailingId);
}
