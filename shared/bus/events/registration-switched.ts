import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A registrant with a seat switched to another session from their manage page: the session they
 * left must leave their calendar (a CANCEL of that entry's UID, the one before `switchCount`).
 * Their new confirmation or waitlist mail is asked for apart (`registration.confirmation-requested`).
 */
export const registrationSwitched = defineEvent(
  "registration.switched",
  z.object({
    eventId: z.string(),
    registrationId: z.string(),
    fromSessionId: z.string(),
    /** The switch's number: its mail is claimed once per switch. */
    switchCount: z.int().positive(),
  }),
);
