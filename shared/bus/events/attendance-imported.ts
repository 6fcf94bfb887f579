import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/** An attendance report was imported for a session (or replaced by a corrected one). */
export const attendanceImported = defineEvent(
  "attendance.imported",
  z.object({
    eventId: z.string(),
    sessionId: z.string(),
    format: z.string(),
    people: z.int(),
    matched: z.int(),
    attended: z.int(),
    absent: z.int(),
    unmatched: z.int(),
  }),
);
