import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { mailingView } from "#shared/mailings/mailing";
import { getMailing } from "#shared/mailings/mailing-store";

export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  async handle({ params }) {
    return json(200, mailingView(await getMailing(params.eventId, params.mailingId)));
  },
});
