import { type FeedbackSuppression, feedbackSuppressions } from "./feedback.ts";
import { suppress } from "./suppression-store.ts";

/**
 * Records an SES bounce or complaint.
 * 1. Reads which addresses it suppresses (permanent bounces and complaints; see
 *    `feedbackSuppressions`).
 * 2. Puts each on the suppression list, keeping the strongest reason an address already has.
 * From then on `deliverOnce` sends those addresses nothing, registration mails included. SES
 * delivers these events at least once and maybe out of order: recording twice changes nothing.
 */
export async function recordFeedback(
  detailType: string,
  detail: unknown,
  now = new Date(),
): Promise<FeedbackSuppression[]> {
  const suppressions = feedbackSuppressions(detailType, detail);
  await Promise.all(suppressions.map(({ email, reason, detail }) => suppress(email, reason, now, detail)));
  return suppressions;
}
