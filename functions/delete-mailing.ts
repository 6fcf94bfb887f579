import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { httpRoute } from "#shared/http/route";
import { deleteDraft } from "#shared/mailings/drafts";

/** Deletes a draft (204); 409 once it is sending, sent or cancelled. */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, mailingId: z.uuid() }),
  async handle({ params }) {
    await deleteDraft(params.eventId, params.mailingId);
    return { statusCode: 204, headers: { "cache-control": "no-store" }, body: "" };
  },
});
