import { busConsumer } from "#shared/bus/consumer";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { promoteWaitlist } from "#shared/registrations/promote-waitlist";

/** On a cancellation that freed a seat, the oldest waitlisted registrant of the session gets it. */
export const handler = busConsumer([registrationCancelled], async ({ detail }) => {
  if (detail.previousStatus === "confirmed") await promoteWaitlist(detail.eventId, detail.sessionId);
});
