import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { deleteEvent } from "#shared/events/delete-event";
import { httpRoute } from "#shared/http/route";

/** Deletes an event nobody registered for (204); one with registrations is a 409. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    await deleteEvent(params.eventId);
    return { statusCode: 204, headers: { "cache-control": "no-store" }, body: "" };
  },
});
