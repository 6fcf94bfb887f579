import { busConsumer } from "#shared/bus/consumer";
import { emailBounced, emailComplaintReceived, emailSent } from "#shared/bus/events/ses-feedback";
import { recordEmailSent } from "#shared/deliveries/record-send-event";
import { recordFeedback } from "#shared/suppression/record-feedback";

/**
 * On SES's events (on the default bus): `Email Bounced` and `Email Complaint Received` put
 * permanently bounced and complaining addresses on the suppression list; `Email Sent` marks the
 * delivery its tag names as sent (a sender that died right after SES took its mail did not).
 * One function for all of SES's events, rather than one more function and rule in the stack.
 */
export const handler = busConsumer([emailBounced, emailComplaintReceived, emailSent], (message) =>
  message.detailType === emailSent.detailType
    ? recordEmailSent(message.detail)
    : recordFeedback(message.detailType, message.detail),
);
