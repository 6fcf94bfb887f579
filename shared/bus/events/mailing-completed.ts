import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** A mailing went out to all its recipients (or was cancelled); its counts are final. */
export const mailingCompleted = defineEvent(
  "mailing.completed",
  z.object({
    eventId: z.string(),
    mailingId: z.string(),
    status: z.enum(["sent", "cancelled"]),
    sent: z.int(),
    skipped: z.int(),
    failed: z.int(),
  }),
);
