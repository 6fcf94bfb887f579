import * as z from "zod";
import { localizedTextSchema } from "../../domain/languages.ts";
import { defineEvent } from "../define-event.ts";

/**
 * An organiser cancelled a session: each of its registrants (confirmed or waitlisted) gets one
 * cancellation mail with a CANCEL invite, in steps that hand on with a cursor (the session's
 * registrations index). Published again by a re-sent cancel request; each mail is claimed per
 * registrant, so nobody is mailed twice.
 */
export const sessionCancelled = defineEvent(
  "session.cancelled",
  z.object({
    eventId: z.string(),
    sessionId: z.string(),
    /** The organiser's word to the registrants, per language. */
    message: localizedTextSchema.optional(),
    cursor: z.record(z.string(), z.unknown()).optional(),
  }),
);
