import * as z from "zod";
import { listEvents } from "#shared/events/list-events";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/** The events, latest-ending first (upcoming, then past), in pages (`?limit=`, `?cursor=`). */
export const handler = httpRoute({
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2_000).optional(),
  }),
  async handle({ query }) {
    return json(200, await listEvents(query));
  },
});
