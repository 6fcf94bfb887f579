import * as z from "zod";
import { enforceRateLimits, rateLimitsFromEnv } from "#shared/abuse/rate-limits";
import { clientIpOf } from "#shared/http/client";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { languageOf, renderEraseConfirm, renderErased } from "#shared/pages/my-data-pages";
import { eraseRegistration } from "#shared/privacy/erase";
import { stateForToken } from "#shared/privacy/manage-link-state";
import { manageLinkRequest } from "#shared/registrations/manage-link";

const limits = rateLimitsFromEnv();

/**
 * "Delete my data" from the manage page, in two posts: without `confirm`, the page that asks for
 * confirmation; with `confirm=yes`, the erasure. Once erased, any post says it is already done.
 * A public POST, limited per client like the cancel button (an erasure cancels, then deletes).
 */
export const handler = httpRoute({
  ...manageLinkRequest,
  body: {
    schema: z.object({ confirm: z.literal("yes").optional() }),
    limitBytes: 1024,
    accepts: ["form"],
    optional: true,
  },
  renderError: htmlErrorPage,
  async handle({ params, query, body, event }) {
    await enforceRateLimits("cancel", { ip: clientIpOf(event) }, limits);
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
