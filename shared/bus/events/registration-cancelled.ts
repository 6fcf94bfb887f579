import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** A registrant cancelled; if they held a seat, the oldest waitlisted registrant may take it. */
export const registrationCancelled = defineEvent(
  "registration.cancelled",
  z.object({
    eventId: z.string(),
    registrationId: z.string(),
    sessionId: z.string(),
    previousStatus: z.enum(["confirmed", "waitlisted"]),
  }),
);
