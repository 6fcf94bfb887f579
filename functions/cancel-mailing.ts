import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { cancelMailing } from "#shared/mailings/cancel-mailing";
import { mailingView } from "#shared/mailings/mailing";

/** Stops a mailing: the batches not yet sent send nothing (409 once it is sent). */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  async handle({ params }) {
    return json(200, mailingView(await cancelMailing(params.eventId, params.mailingId)));
  },
});
