import { message } from "../bus/define-event.ts";
import { mailingCompleted } from "../bus/events/mailing-completed.ts";
import { publishEvents } from "../bus/publish.ts";
import { countDeliveries, type Mailing, moveStatus, setCounts } from "./mailing-store.ts";

/**
 * Ends a mailing whose last page was mailed: the counts are set from the delivery records, and the
 * mailing becomes `sent` once every recipient has an outcome. When a duplicated batch runs beside
 * the chain, the step that completes the records finishes it; a claim left by a crashed process
 * keeps the mailing `sending`, visibly one short, rather than declaring it done.
 */
export async function finishMailing(mailing: Mailing, now = new Date()): Promise<void> {
  const { pending: _pending, ...counts } = await countDeliveries(mailing.mailingId);
  if (counts.sent + counts.skipped + counts.failed < mailing.recipients) {
    await setCounts(mailing, counts);
    return;
  }
  // `sent` and the records' counts in one write: a late step's addition, before it, is replaced;
  // after it, refused (addCounts). Cancelled meanwhile, or another step finished it: nothing more.
  if (!(await moveStatus(mailing, ["sending"], "sent", now, undefined, counts))) return;
  await publishEvents([
    message(mailingCompleted, {
      eventId: mailing.eventId,
      mailingId: mailing.mailingId,
      status: "sent",
      ...counts,
    }),
  ]);
}
