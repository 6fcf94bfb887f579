import * as z from "zod";
import { eventStats } from "#shared/attendance/event-stats";
import { slugSchema } from "#shared/domain/event";
import { getEvent } from "#shared/events/event-store";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/** Participation per session: registrations by status, attendance, breakdowns. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    return json(200, await eventStats(await getEvent(params.eventId)));
  },
});
