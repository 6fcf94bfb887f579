import * as z from "zod";
import { eventInputSchema, slugSchema } from "#shared/domain/event";
import { putEvent } from "#shared/events/put-event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  body: { schema: eventInputSchema, limitBytes: 256 * 1024, accepts: ["json"] },
  // `If-Match: "<updatedAt>"` (the event as the client read it) makes a stale edit a 409.
  async handle({ params, body, headers }) {
    const { event, created } = await putEvent(params.eventId, body, undefined, headers["if-match"]);
    return json(created ? 201 : 200, event);
  },
});
