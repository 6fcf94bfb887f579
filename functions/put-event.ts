import * as z from "zod";
import { eventInputSchema, slugSchema } from "#shared/domain/event";
import { putEvent } from "#shared/events/put-event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  body: { schema: eventInputSchema, limitBytes: 256 * 1024, accepts: ["json"] },
  async handle({ params, body }) {
    const { event, created } = await putEvent(params.eventId, body);
    return json(created ? 201 : 200, event);
  },
});
