import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { mailingView } from "#shared/mailings/mailing";
import { sendMailing } from "#shared/mailings/send-mailing";

/** Starts sending a draft: 202, since the mailing goes out in the background (409 if sent already). */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  async handle({ params }) {
    return json(202, mailingView(await sendMailing(params.eventId, params.mailingId)));
  },
});
