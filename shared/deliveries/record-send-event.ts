import { keys } from "../aws/table.ts";
import type { DetailOf } from "../bus/define-event.ts";
import type { emailSent } from "../bus/events/ses-feedback.ts";
import { recordSendEvents, type SendEvent } from "./delivery-store.ts";
import { deliveryKeyOfTag, deliveryTagName } from "./delivery-tag.ts";

/**
 * Records SES's `Email Sent` events on the delivery records their `convene-delivery` tags name:
 * `sent` with SES's message id, for those still a `sending` claim (see `recordSendEvents`), the
 * records of the whole batch read at once. A mail sent without the tag (a test mail, another
 * application's) is none of Convene's deliveries. SES delivers events at least once: recording
 * twice changes nothing. Settles per event, in their order.
 */
export async function recordEmailsSent(
  details: readonly DetailOf<typeof emailSent>[],
): Promise<PromiseSettledResult<"recorded" | "unchanged">[]> {
  const events = details.map((detail): SendEvent | undefined => {
    const [value] = detail.mail.tags[deliveryTagName] ?? [];
    const key = value === undefined ? undefined : deliveryKeyOfTag(value);
    // A tag that names no delivery record (another application's, a forged one) changes nothing,
    // and is never read: the function may read delivery records only.
    if (!key || !keys.isDelivery(key)) return undefined;
    return { key, messageId: detail.mail.messageId, sentAt: detail.mail.timestamp };
  });
  const tagged = events.filter((event) => event !== undefined);
  const recorded = tagged.length > 0 ? await recordSendEvents(tagged) : [];
  let next = 0;
  return events.map((event) => {
    if (!event) return { status: "fulfilled", value: "unchanged" };
    const result = recorded[next++] as PromiseSettledResult<boolean>;
    return result.status === "fulfilled"
      ? { status: "fulfilled", value: result.value ? "recorded" : "unchanged" }
      : result;
  });
}
