import { message } from "../bus/define-event.ts";
import { mailingBatch } from "../bus/events/mailing-batch.ts";
import { publishEvents } from "../bus/publish.ts";
import { getEvent } from "../events/event-store.ts";
import { finishMailing } from "./finish-mailing.ts";
import { claimDispatch, fixRecipients, getMailing } from "./mailing-store.ts";
import { resolveRecipients } from "./recipients.ts";

/**
 * Consumer of `mailing.requested`.
 * 1. Nothing to do unless the mailing is sending (a cancelled one stays cancelled), nor for a
 *    duplicate of the event.
 * 2. Fixes its recipients once, in pages.
 * 3. Starts the chain with the first `mailing.batch` (an empty list finishes it at once).
 */
export async function dispatchMailing(
  eventId: string,
  mailingId: string,
  busEventId: string,
  now = new Date(),
) {
  const mailing = await getMailing(eventId, mailingId);
  if (mailing.status !== "sending" || !(await claimDispatch(mailing, busEventId))) return;
  if (mailing.pages === undefined) {
    await fixRecipients(mailing, await resolveRecipients(await getEvent(eventId), mailing.segment), now);
  }
  const fixed = await getMailing(eventId, mailingId);
  if (fixed.pages === 0) return finishMailing(fixed, now);
  await publishEvents([message(mailingBatch, { eventId, mailingId, page: 0, offset: 0 })]);
}
