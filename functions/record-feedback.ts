import type { EventBridgeEvent } from "aws-lambda";
import { recordFeedback } from "#shared/suppression/record-feedback";

/**
 * On SES's `Email Bounced` and `Email Complaint Received` (on the default bus): puts permanently
 * bounced and complaining addresses on the suppression list.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  await recordFeedback(event["detail-type"], event.detail);
};
