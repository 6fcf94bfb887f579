import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { segmentSchema } from "#shared/mailings/content/segment";
import { countSegment } from "#shared/mailings/drafts";

/** How many registrants a segment selects now, for the composer's live count. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  body: {
    schema: z.object({ segment: segmentSchema.prefault({}) }),
    limitBytes: 16 * 1024,
    accepts: ["json"],
  },
  async handle({ params, body }) {
    return json(200, await countSegment(params.eventId, body.segment));
  },
});
