import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { listReminders } from "#shared/reminders/list-reminders";

/** The reminders of an event and where each stands (scheduled, sending, sent, skipped), for organisers. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    return json(200, await listReminders(params.eventId));
  },
});
