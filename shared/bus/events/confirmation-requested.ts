import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A registrant registered again with the same email: their confirmation (or waitlist mail) is sent
 * again. `confirmationNumber` makes each resend its own delivery, so a retried event mails once.
 */
export const confirmationRequested = defineEvent(
  "registration.confirmation-requested",
  z.object({ eventId: z.string(), registrationId: z.string(), confirmationNumber: z.int().positive() }),
);
