import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** An organiser asked for a mailing to be sent: its recipients are to be resolved, then mailed in batches. */
export const mailingRequested = defineEvent(
  "mailing.requested",
  z.object({ eventId: z.string(), mailingId: z.string() }),
);
