import * as z from "zod";
import { publicView, slugSchema } from "#shared/domain/event";
import { getEventForPublic } from "#shared/events/event-store";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/** The public view of an event: what the registration form and anyone may see. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    return json(200, publicView(await getEventForPublic(params.eventId)));
  },
});
