import { busConsumer } from "#shared/bus/consumer";
import { confirmationRequested } from "#shared/bus/events/confirmation-requested";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { registrationCreated } from "#shared/bus/events/registration-created";
import { registrationPromoted } from "#shared/bus/events/registration-promoted";
import { registrationSwitched } from "#shared/bus/events/registration-switched";
import { leaseFor } from "#shared/deliveries/lease";
import { sendRegistrationMail, sendSwitchedMail } from "#shared/registrations/send-registration-mail";

/**
 * Which mail each registration event calls for; a resend and a promotion carry their confirmation
 * number (a cancellation's is the registration's own, read when the mail goes out: it cannot
 * change while the registration stays cancelled). The
 * delivery's lease carries the event itself, for the sweeper to publish again if this step dies.
 */
export const handler = busConsumer(
  [
    registrationCreated,
    confirmationRequested,
    registrationPromoted,
    registrationCancelled,
    registrationSwitched,
  ],
  (message, step) => {
    const { registrationId } = message.detail;
    const lease = leaseFor(step.timeLeftMs(), message);
    switch (message.detailType) {
      case "registration.created":
        return sendRegistrationMail("created", registrationId, 1, lease);
      case "registration.confirmation-requested":
        return sendRegistrationMail(
          "confirmation-requested",
          registrationId,
          message.detail.confirmationNumber,
          lease,
        );
      case "registration.promoted":
        return sendRegistrationMail("promoted", registrationId, message.detail.confirmationNumber, lease);
      case "registration.cancelled":
        return sendRegistrationMail("cancelled", registrationId, undefined, lease);
      case "registration.switched": {
        const { fromSessionId, switchCount } = message.detail;
        return sendSwitchedMail(registrationId, fromSessionId, switchCount, lease);
      }
    }
  },
);
