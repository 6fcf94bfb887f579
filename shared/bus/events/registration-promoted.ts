import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A waitlisted registrant got a seat; their confirmation with join link and invite is due.
 * `confirmationNumber` is the registration's when it was promoted: the promotion mail's number, so
 * that a late copy of this message never mails a promotion again after a resend or a move (absent
 * from messages written before it existed: the number read when the mail goes out).
 */
export const registrationPromoted = defineEvent(
  "registration.promoted",
  z.object({
    eventId: z.string(),
    registrationId: z.string(),
    sessionId: z.string(),
    confirmationNumber: z.int().positive().optional(),
  }),
);
