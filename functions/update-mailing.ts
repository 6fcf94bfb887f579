import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { mailingInputSchema } from "#shared/mailings/content/mailing-input";
import { updateDraft } from "#shared/mailings/drafts";

/** Replaces a draft's settings (the body of a create); 409 once it is no longer a draft. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  body: { schema: mailingInputSchema, limitBytes: 256 * 1024, accepts: ["json"] },
  async handle({ params, body }) {
    return json(200, await updateDraft(params.eventId, params.mailingId, body));
  },
});
