import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { httpRoute } from "#shared/http/route";
import { eraseRegistrationOf } from "#shared/privacy/erase";

/** An organiser erases one registrant's data (as "delete my data" would): 204, again 204. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, registrationId: z.uuid() }),
  async handle({ params }) {
    await eraseRegistrationOf(params.eventId, params.registrationId);
    return { statusCode: 204, headers: { "cache-control": "no-store" }, body: "" };
  },
});
