import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { registrationDetail } from "#shared/registrations/registration-detail";

/** One registrant for organisers: every field, the consent record, and the mails sent to them. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, registrationId: z.uuid() }),
  async handle({ params }) {
    return json(200, await registrationDetail(params.eventId, params.registrationId));
  },
});
