import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { mailingInputSchema } from "#shared/mailings/content/mailing-input";
import { createMailing } from "#shared/mailings/drafts";

export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  body: { schema: mailingInputSchema, limitBytes: 256 * 1024, accepts: ["json"] },
  async handle({ params, body }) {
    return json(201, await createMailing(params.eventId, body));
  },
});
