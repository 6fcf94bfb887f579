import { busConsumer } from "#shared/bus/consumer";
import { confirmationRequested } from "#shared/bus/events/confirmation-requested";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { registrationCreated } from "#shared/bus/events/registration-created";
import { registrationPromoted } from "#shared/bus/events/registration-promoted";
import { sendRegistrationMail } from "#shared/registrations/send-registration-mail";

/** Which mail each registration event calls for; a resend carries its confirmation number. */
export const handler = busConsumer(
  [registrationCreated, confirmationRequested, registrationPromoted, registrationCancelled],
  (message) => {
    const { registrationId } = message.detail;
    switch (message.detailType) {
      case "registration.created":
        return sendRegistrationMail("created", registrationId);
      case "registration.confirmation-requested":
        return sendRegistrationMail(
          "confirmation-requested",
          registrationId,
          message.detail.confirmationNumber,
        );
      case "registration.promoted":
        return sendRegistrationMail("promoted", registrationId);
      case "registration.cancelled":
        return sendRegistrationMail("cancelled", registrationId);
    }
  },
);
