import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { getEvent } from "#shared/events/event-store";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/** The whole event, join URLs included, for organisers. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    return json(200, await getEvent(params.eventId));
  },
});
