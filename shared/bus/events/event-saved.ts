import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * An organiser saved an event (created or replaced it). Published after every save, whatever
 * changed, so that what follows a save (filling seats freed by a raised or removed capacity) is
 * completed by sending the same PUT again if a publish was lost; its consumers are idempotent.
 */
export const eventSaved = defineEvent("event.saved", z.object({ eventId: z.string() }));
