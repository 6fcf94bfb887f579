import { busConsumer } from "#shared/bus/consumer";
import { emailBounced, emailComplaintReceived } from "#shared/bus/events/ses-feedback";
import { recordFeedback } from "#shared/suppression/record-feedback";

/**
 * On SES's `Email Bounced` and `Email Complaint Received` (on the default bus): puts permanently
 * bounced and complaining addresses on the suppression list.
 */
export const handler = busConsumer([emailBounced, emailComplaintReceived], ({ detailType, detail }) =>
  recordFeedback(detailType, detail),
);
