import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A saved event changed a session's start, duration or join link: its registrants get an update
 * (confirmed: with the join link and an updated invite; waitlisted: the time only), in steps that
 * hand on with a cursor. `change` is the session's change number: a step whose number is older
 * than the stored one stops, so two quick edits mail the latest state, not a stale one.
 */
export const sessionChanged = defineEvent(
  "session.changed",
  z.object({
    eventId: z.string(),
    sessionId: z.string(),
    change: z.int().min(1),
    /** What registrants were last told (the start, duration and join link before this change). */
    previous: z.object({ startsAt: z.string(), durationMinutes: z.int(), joinUrl: z.string() }),
    /** When the change was saved: who registered later got the new details in their confirmation. */
    changedAt: z.iso.datetime(),
    cursor: z.record(z.string(), z.unknown()).optional(),
  }),
);
