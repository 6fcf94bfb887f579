import { getEvent } from "#shared/events/event-store";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { languageOf, renderErased } from "#shared/pages/my-data-pages";
import { renderManagePage } from "#shared/pages/registration-pages";
import { pathTo } from "#shared/paths";
import { stateForToken } from "#shared/privacy/manage-link-state";
import { manageLinkRequest } from "#shared/registrations/manage-link";

/**
 * The page behind a registration's manage link: the registration, a cancel button and the
 * registrant's data; once their data was erased, a page that says so.
 */
export const handler = httpRoute({
  ...manageLinkRequest,
  renderError: htmlErrorPage,
  async handle({ params, query }) {
    const found = await stateForToken(params.registrationId, query.token);
    if (found.state !== "active")
      return html(200, renderErased(languageOf(found, query.lang), "already-erased"));
    const { registration } = found;
    const event = await getEvent(registration.eventId);
    const language = languageOf(found, query.lang);
    const token = query.token ?? "";
    const cancelAction = pathTo(
      "cancelRegistration",
      { registrationId: registration.registrationId },
      { token, lang: language },
    );
    const myData = { registrationId: registration.registrationId, token, language };
    return html(200, renderManagePage({ event, registration, language, cancelAction, myData }));
  },
});
