import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** Someone registered (confirmed or waitlisted); their first confirmation or waitlist mail is due. */
export const registrationCreated = defineEvent(
  "registration.created",
  z.object({ eventId: z.string(), registrationId: z.string(), sessionId: z.string(), status: z.string() }),
);
