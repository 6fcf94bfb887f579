import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * One page of a mailing's recipients is to be mailed, from `offset` in that page. Each step hands
 * the rest on by publishing the next page (or the same page further on when its time ran short).
 */
export const mailingBatch = defineEvent(
  "mailing.batch",
  z.object({
    eventId: z.string(),
    mailingId: z.string(),
    page: z.int().min(0),
    offset: z.int().min(0).default(0),
  }),
);
