import type { Step } from "../bus/consumer.ts";
import { message } from "../bus/define-event.ts";
import { mailingBatch } from "../bus/events/mailing-batch.ts";
import { mailingRequested } from "../bus/events/mailing-requested.ts";
import { publishEvents } from "../bus/publish.ts";
import { handOnLease, leaseFor } from "../deliveries/lease.ts";
import { getEvent } from "../events/event-store.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { finishMailing } from "./finish-mailing.ts";
import { claimDispatch, fixRecipients, getMailing, renewBatchLease } from "./mailing-store.ts";
import { resolveRecipients } from "./recipients.ts";

/**
 * Consumer of `mailing.requested`.
 * 1. Nothing to do unless the mailing is sending (a cancelled one stays cancelled), nor for a
 *    duplicate of the event while the dispatch's lease runs; once it has expired (the dispatcher
 *    died), the event the sweeper published again takes it over.
 * 2. Fixes its recipients once, in pages.
 * 3. Starts the chain with the first `mailing.batch`, named in the lease before it is published
 *    (an empty list finishes the mailing at once).
 */
export async function dispatchMailing(
  eventId: string,
  mailingId: string,
  step: Pick<Step, "busEventId" | "timeLeftMs">,
  now = new Date(),
) {
  const mailing = await getMailing(eventId, mailingId);
  const lease = leaseFor(step.timeLeftMs(), message(mailingRequested, { eventId, mailingId }), now);
  if (mailing.status !== "sending" || !(await claimDispatch(mailing, step.busEventId, lease, now))) return;
  if (mailing.pages === undefined) {
    const event = await getEvent(eventId);
    await fixRecipients(mailing, await resolveRecipients(event, mailing.segment), now, expiresAtOf(event));
  }
  const fixed = await getMailing(eventId, mailingId);
  if (fixed.pages === 0) return finishMailing(fixed, now);
  const first = message(mailingBatch, { eventId, mailingId, page: 0, offset: 0 });
  if (await renewBatchLease(fixed, 0, handOnLease(first))) await publishEvents([first]);
}
