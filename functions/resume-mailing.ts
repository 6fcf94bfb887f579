import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { mailingView } from "#shared/mailings/mailing";
import { resumeMailing } from "#shared/mailings/resume-mailing";

/**
 * Resumes a mailing being sent, from its cursor, with its counts read from its delivery records:
 * 202, since the rest goes on in the background (409 unless it is sending).
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  async handle({ params }) {
    return json(202, mailingView(await resumeMailing(params.eventId, params.mailingId)));
  },
});
