import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A reminder (session, offset) is due: its consumer mails the session's confirmed registrants.
 * When its time runs short it publishes the same event again with `cursor` (where it stopped).
 */
export const reminderDue = defineEvent(
  "reminder.due",
  z.object({
    eventId: z.string(),
    sessionId: z.string(),
    offset: z.string(),
    dueAt: z.string(),
    cursor: z.record(z.string(), z.unknown()).optional(),
  }),
);
