import * as z from "zod";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { languageOf, renderErased } from "#shared/pages/my-data-pages";
import { doneNotices } from "#shared/pages/registration-pages";
import { managePage } from "#shared/pages/self-service";
import { stateForToken } from "#shared/privacy/manage-link-state";
import { manageLinkRequest } from "#shared/registrations/manage-link";

/**
 * The registrant's home behind their manage link: their session, its join link and calendar,
 * changing session, correcting details, cancelling, their data; once their data was erased, a
 * page that says so. `done` is what an action that redirected here has just done.
 */
export const handler = httpRoute({
  ...manageLinkRequest,
  query: manageLinkRequest.query.extend({ done: z.enum(doneNotices).optional().catch(undefined) }),
  renderError: htmlErrorPage,
  async handle({ params, query }) {
    const found = await stateForToken(params.registrationId, query.token);
    const language = languageOf(found, query.lang);
    if (found.state !== "active") return html(200, renderErased(language, "already-erased"));
    const { registration } = found;
    const link = { registrationId: registration.registrationId, token: query.token ?? "", language };
    return managePage(registration, link, { done: query.done });
  },
});
