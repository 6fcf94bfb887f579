import { emailBounced, emailComplaintReceived } from "../bus/events/ses-feedback.ts";
import { normalizeEmail } from "../domain/registration.ts";
import type { SuppressionReason } from "./suppression.ts";

export interface FeedbackSuppression {
  email: string;
  reason: SuppressionReason;
  detail: string;
}

/**
 * The addresses an SES feedback event puts on the suppression list:
 * - a permanent bounce: each bounced recipient (`bounced`); a transient or undetermined bounce
 *   suppresses nobody, since SES has already retried and the next mail may well arrive;
 * - a complaint: each complaining recipient (`complained`), unless the provider's report says the
 *   mail was `not-spam`.
 * The detail is validated with the event's schema; an event of another type is an error (the
 * rule should not have sent it).
 */
export function feedbackSuppressions(detailType: string, detail: unknown): FeedbackSuppression[] {
  if (detailType === emailBounced.detailType) {
    const { bounce, mail } = emailBounced.schema.parse(detail);
    if (bounce.bounceType !== "Permanent") return [];
    const kind = [bounce.bounceType, bounce.bounceSubType].filter(Boolean).join("/");
    return bounce.bouncedRecipients.map(({ emailAddress }) => ({
      email: normalizeEmail(emailAddress),
      reason: "bounced",
      detail: `SES bounce ${kind} of message ${mail.messageId}`,
    }));
  }
  if (detailType === emailComplaintReceived.detailType) {
    const { complaint, mail } = emailComplaintReceived.schema.parse(detail);
    if (complaint.complaintFeedbackType === "not-spam") return [];
    const kind = complaint.complaintFeedbackType ?? "complaint";
    return complaint.complainedRecipients.map(({ emailAddress }) => ({
      email: normalizeEmail(emailAddress),
      reason: "complained",
      detail: `SES complaint (${kind}) about message ${mail.messageId}`,
    }));
  }
  throw new Error(`not an SES bounce or complaint: ${detailType}`);
}
