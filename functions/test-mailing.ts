import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { languageSchema } from "#shared/domain/languages";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { sendTestCopy } from "#shared/mailings/test-copy";

/** One test copy of a mailing to an organiser's address, as a sample registrant would get it. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  body: {
    schema: z.object({ email: z.email(), language: languageSchema.default("en") }),
    limitBytes: 4 * 1024,
    accepts: ["json"],
  },
  async handle({ params, body }) {
    await sendTestCopy(params.eventId, params.mailingId, body.email, body.language);
    return json(200, { sent: true, email: body.email });
  },
});
