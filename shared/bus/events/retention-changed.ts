import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * An event's retention end (`expiresAt`: last session end + `retentionDays`) changed: every item
 * holding its registrants' data gets the new `expiresAt`, in steps that hand on with a cursor
 * (which query of the walk, and where in it). A step that finds the event's retention changed
 * again stops: the newer message does the walk.
 */
export const retentionChanged = defineEvent(
  "event.retention-changed",
  z.object({
    eventId: z.string(),
    expiresAt: z.int(),
    cursor: z
      .object({ source: z.int().min(0), key: z.record(z.string(), z.unknown()).optional() })
      .optional(),
  }),
);
