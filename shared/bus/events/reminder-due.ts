import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A reminder (session, offset) is due: its consumer mails the session's confirmed registrants.
 * When its time runs short it publishes the same event again with `cursor` (where it stopped), and
 * `heldElsewhere`: the mails it found claimed by another copy of the event and still unsent, which
 * the last step checks before it finishes the reminder (bounded by that copy's sends in flight).
 */
export const reminderDue = defineEvent(
  "reminder.due",
  z.object({
    eventId: z.string(),
    sessionId: z.string(),
    offset: z.string(),
    dueAt: z.string(),
    cursor: z.record(z.string(), z.unknown()).optional(),
    heldElsewhere: z.array(z.object({ pk: z.string(), sk: z.string(), until: z.iso.datetime() })).optional(),
  }),
);
