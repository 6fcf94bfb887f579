import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { languageSchema } from "#shared/domain/languages";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { previewMailing } from "#shared/mailings/preview-mailing";

/** The mailing rendered for one recipient (`?lang=`): subject, HTML and text, before sending it. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  query: z.object({ lang: languageSchema.default("en") }),
  async handle({ params, query }) {
    return json(200, await previewMailing(params.eventId, params.mailingId, query.lang));
  },
});
