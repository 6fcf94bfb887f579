import { html, json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { calendarRoute } from "#shared/pages/calendar-route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { languageOf, renderErased } from "#shared/pages/my-data-pages";
import { byRoute } from "#shared/pages/self-service";
import { routeKeyOf } from "#shared/paths";
import { stateForToken } from "#shared/privacy/manage-link-state";
import { personalData } from "#shared/privacy/personal-data";
import { manageLinkRequest } from "#shared/registrations/manage-link";

/** "Download my data" from the manage page: everything stored about the registrant, as a JSON file. */
const myDataRoute = httpRoute({
  ...manageLinkRequest,
  renderError: htmlErrorPage,
  async handle({ params, query }) {
    const found = await stateForToken(params.registrationId, query.token);
    if (found.state !== "active")
      return html(200, renderErased(languageOf(found, query.lang), "already-erased"));
    return json(200, await personalData(found.registration), {
      "content-disposition": `attachment; filename="my-data-${found.registration.registrationId}.json"`,
    });
  },
});

/** The registrant's downloads behind their manage link: their data, their calendar invitation. */
export const handler = byRoute(myDataRoute, {
  [routeKeyOf("registrationCalendar")]: calendarRoute,
});
