import type { MessageOf, Queued, QueuedFailure } from "../bus/consumer.ts";
import { type emailBounced, type emailComplaintReceived, emailSent } from "../bus/events/ses-feedback.ts";
import { recordFeedback } from "../suppression/record-feedback.ts";
import { recordEmailsSent } from "./record-send-event.ts";

type SesMessage = MessageOf<typeof emailBounced | typeof emailComplaintReceived | typeof emailSent>;

/**
 * A batch of SES's events, as `record-feedback` takes them from its queue: every `Email Sent`
 * marks the delivery its tag names as sent (a sender that died right after SES took its mail did
 * not), the records of the whole batch read at once; each bounce and complaint puts its
 * addresses on the suppression list. Says which records failed, each to be given again alone.
 */
export async function recordSesEvents(batch: readonly Queued<SesMessage>[]): Promise<QueuedFailure[]> {
  const sends: Queued<Extract<SesMessage, { detailType: typeof emailSent.detailType }>>[] = [];
  const feedback: Queued<SesMessage>[] = [];
  for (const queued of batch) {
    if (queued.message.detailType === emailSent.detailType)
      sends.push({ id: queued.id, message: queued.message });
    else feedback.push(queued);
  }
  const [sent, recorded] = await Promise.all([
    recordEmailsSent(sends.map(({ message }) => message.detail)),
    Promise.allSettled(feedback.map(({ message }) => recordFeedback(message.detailType, message.detail))),
  ]);
  const failuresOf = (
    queued: readonly Queued<unknown>[],
    results: readonly PromiseSettledResult<unknown>[],
  ) =>
    results.flatMap((result, n) =>
      result.status === "rejected" ? [{ id: queued[n]?.id ?? "", error: result.reason }] : [],
    );
  return [...failuresOf(sends, sent), ...failuresOf(feedback, recorded)];
}
