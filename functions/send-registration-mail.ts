import type { EventBridgeEvent } from "aws-lambda";
import { confirmationRequested } from "#shared/bus/events/confirmation-requested";
import { registrationCancelled } from "#shared/bus/events/registration-cancelled";
import { registrationCreated } from "#shared/bus/events/registration-created";
import { registrationPromoted } from "#shared/bus/events/registration-promoted";
import { type MailTrigger, sendRegistrationMail } from "#shared/registrations/send-registration-mail";

/** Which mail each registration event calls for, and which confirmation number it carries. */
const triggers: Record<
  string,
  (detail: unknown) => { trigger: MailTrigger; registrationId: string; sequence?: number }
> = {
  [registrationCreated.detailType]: (detail) => ({
    trigger: "created",
    ...registrationCreated.schema.parse(detail),
  }),
  [confirmationRequested.detailType]: (detail) => {
    const { registrationId, confirmationNumber } = confirmationRequested.schema.parse(detail);
    return { trigger: "confirmation-requested", registrationId, sequence: confirmationNumber };
  },
  [registrationPromoted.detailType]: (detail) => ({
    trigger: "promoted",
    ...registrationPromoted.schema.parse(detail),
  }),
  [registrationCancelled.detailType]: (detail) => ({
    trigger: "cancelled",
    ...registrationCancelled.schema.parse(detail),
  }),
};

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const parse = triggers[event["detail-type"]];
  if (!parse) throw new Error(`send-registration-mail does not handle ${event["detail-type"]}`);
  const { trigger, registrationId, sequence } = parse(event.detail);
  await sendRegistrationMail(trigger, registrationId, sequence);
};
