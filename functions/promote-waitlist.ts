import { busConsumer } from "#shared/bus/consumer";
import { eventSaved } from "#shared/bus/events/event-saved";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { fillFreedSeats } from "#shared/registrations/fill-freed-seats";
import { promoteWaitlist } from "#shared/registrations/promote-waitlist";

/**
 * Seats go to the oldest waitlisted registrants: the seat a cancellation freed, or those that a
 * saved event's raised or removed capacity made (every session of it is looked at).
 */
export const handler = busConsumer([registrationCancelled, eventSaved], async ({ detailType, detail }) => {
  if (detailType === "event.saved") return fillFreedSeats(detail.eventId);
  if (detail.previousStatus === "confirmed") return promoteWaitlist(detail.eventId, detail.sessionId);
  return 0;
});
