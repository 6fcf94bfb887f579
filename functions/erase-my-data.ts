import * as z from "zod";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { languageOf, renderEraseConfirm, renderErased } from "#shared/pages/my-data-pages";
import { eraseRegistration } from "#shared/privacy/erase";
import { stateForToken } from "#shared/privacy/manage-link-state";

/**
 * "Delete my data" from the manage page, in two posts: without `confirm`, the page that asks for
 * confirmation; with `confirm=yes`, the erasure. Once erased, any post says it is already done.
 */
export const handler = httpRoute({
  params: z.object({ registrationId: z.string().min(1).max(100) }),
  query: z.object({ token: z.string().optional(), lang: z.string().optional() }),
  body: {
    schema: z.object({ confirm: z.literal("yes").optional() }),
    limitBytes: 1024,
    accepts: ["form"],
    optional: true,
  },
  renderError: htmlErrorPage,
  async handle({ params, query, body }) {
    const found = await stateForToken(params.registrationId, query.token);
    const language = languageOf(found, query.lang);
    if (found.state === "erased") return html(200, renderErased(language, "already-erased"));
    if (body.confirm !== "yes" && found.state === "active") {
      const token = query.token ?? "";
      return html(200, renderEraseConfirm({ registrationId: params.registrationId, token, language }));
    }
    const outcome = await eraseRegistration(params.registrationId);
    return html(200, renderErased(language, outcome === "erased" ? "erased" : "already-erased"));
  },
});
