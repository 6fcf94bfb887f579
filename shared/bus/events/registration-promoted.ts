import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** A waitlisted registrant got a seat; their confirmation with join link and invite is due. */
export const registrationPromoted = defineEvent(
  "registration.promoted",
  z.object({ eventId: z.string(), registrationId: z.string(), sessionId: z.string() }),
);
