import type { EventBridgeEvent } from "aws-lambda";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { promoteWaitlist } from "#shared/registrations/promote-waitlist";

/** On a cancellation that freed a seat, the oldest waitlisted registrant of the session gets it. */
export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const detail = registrationCancelled.schema.parse(event.detail);
  if (detail.previousStatus !== "confirmed") return;
  await promoteWaitlist(detail.eventId, detail.sessionId);
};
