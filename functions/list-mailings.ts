import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { listMailings } from "#shared/mailings/drafts";
import { mailingView } from "#shared/mailings/mailing";

/** An event's mailings with their status and counts, newest first. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  async handle({ params }) {
    return json(200, { mailings: (await listMailings(params.eventId)).map(mailingView) });
  },
});
