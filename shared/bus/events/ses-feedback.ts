import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * SES's own events, not Convene's: a configuration set's EventBridge destination puts them on the
 * account's default bus (the only bus SES can target) with this source. Locally, the local SES
 * publishes the same shape for the mailbox simulator's addresses.
 */
export const sesEventSource = "aws.ses";

const recipients = z.array(z.object({ emailAddress: z.string() }));
/** The sent message the feedback is about; its id is the one `SendRawEmail` returned. */
const mail = z.object({ messageId: z.string() });

/**
 * A bounce. Only the fields Convene reads: `bounceType` is `Permanent` (the address does not
 * exist or refuses mail for good), `Transient` (full mailbox, message too large…) or
 * `Undetermined`; a string, so a new type SES may add is read, not refused.
 */
export const emailBounced = defineEvent(
  "Email Bounced",
  z.object({
    eventType: z.literal("Bounce"),
    bounce: z.object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: recipients,
    }),
    mail,
  }),
);

/**
 * A complaint: the recipient marked the mail as spam. `complaintFeedbackType` is present only when
 * the provider sent a feedback report (`abuse`, `fraud`, `not-spam`…).
 */
export const emailComplaintReceived = defineEvent(
  "Email Complaint Received",
  z.object({
    eventType: z.literal("Complaint"),
    complaint: z.object({
      complainedRecipients: recipients,
      complaintFeedbackType: z.string().optional(),
    }),
    mail,
  }),
);

/**
 * SES accepted a message (event type `Send`, published when the configuration set's destination
 * includes `SEND`). Convene reads its tags: `convene-delivery` names the delivery record, which
 * `record-feedback` marks as sent, so a sender that died between SES's answer and its own write
 * does not leave a claim that someone would take over and send again.
 */
export const emailSent = defineEvent(
  "Email Sent",
  z.object({
    eventType: z.literal("Send"),
    mail: mail.extend({
      timestamp: z.string(),
      destination: z.array(z.string()),
      /** Every tag of the message, SES's own (`ses:configuration-set`…) and the sender's, as `{ name: [value] }`. */
      tags: z.record(z.string(), z.array(z.string())).default({}),
    }),
  }),
);
