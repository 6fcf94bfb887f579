import type { DetailOf } from "../bus/define-event.ts";
import type { emailSent } from "../bus/events/ses-feedback.ts";
import { recordSendEvent } from "./delivery-store.ts";
import { deliveryKeyOfTag, deliveryTagName } from "./delivery-tag.ts";

/**
 * Records SES's `Email Sent` event on the delivery record its `convene-delivery` tag names: `sent`
 * with SES's message id, if the record is still a `sending` claim (see `recordSendEvent`). A mail
 * sent without the tag (a test mail, another application's) is none of Convene's deliveries.
 * SES delivers events at least once: recording twice changes nothing.
 */
export async function recordEmailSent(detail: DetailOf<typeof emailSent>): Promise<"recorded" | "unchanged"> {
  const [value] = detail.mail.tags[deliveryTagName] ?? [];
  const key = value === undefined ? undefined : deliveryKeyOfTag(value);
  if (!key) return "unchanged";
  return (await recordSendEvent(key, detail.mail.messageId, detail.mail.timestamp))
    ? "recorded"
    : "unchanged";
}
