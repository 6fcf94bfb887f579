import { queueConsumer } from "#shared/bus/consumer";
import { emailBounced, emailComplaintReceived, emailSent } from "#shared/bus/events/ses-feedback";
import { recordSesEvents } from "#shared/deliveries/record-ses-events";

/**
 * On SES's events (on the default bus, through this function's queue, in batches): `Email Sent`
 * marks the delivery its tag names as sent (a sender that died right after SES took its mail did
 * not); `Email Bounced` and `Email Complaint Received` put permanently bounced and complaining
 * addresses on the suppression list. One function for all of SES's events, rather than one more
 * function, rule and queue in the stack.
 */
export const handler = queueConsumer([emailBounced, emailComplaintReceived, emailSent], recordSesEvents);
