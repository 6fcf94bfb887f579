import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { enforceRateLimits, rateLimitsFromEnv } from "#shared/abuse/rate-limits";
import { getEvent } from "#shared/events/event-store";
import { clientIpOf } from "#shared/http/client";
import { html, json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { registrantPageLanguage } from "#shared/pages/language";
import { pageHeaders } from "#shared/pages/layout";
import { eventLanguages } from "#shared/pages/parts";
import { renderCancelled } from "#shared/pages/registration-pages";
import { byRoute, selfServiceErrorPage } from "#shared/pages/self-service";
import { correctDetailsRoute, switchSessionRoute } from "#shared/pages/self-service-routes";
import { routeKeyOf } from "#shared/paths";
import { cancel } from "#shared/registrations/cancel";
import { manageLinkRequest } from "#shared/registrations/manage-link";

const limits = rateLimitsFromEnv();

/** The cancel button of the manage page posts a form and gets a page; scripts get JSON. */
const fromBrowser = (event: APIGatewayProxyEventV2) =>
  (event.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ||
  (event.headers.accept ?? "").includes("text/html");

const cancelRoute = httpRoute({
  ...manageLinkRequest,
  // A cancelled session's 409 is a page with the way back to the registration (and its switch).
  renderError: (response, event) => (fromBrowser(event) ? selfServiceErrorPage(response, event) : response),
  async handle({ params, query, event }) {
    await enforceRateLimits("cancel", { ip: clientIpOf(event) }, limits);
    const registration = await cancel(params.registrationId, query.token);
    if (!fromBrowser(event))
      return json(200, { registrationId: registration.registrationId, status: registration.status });
    const shown = await getEvent(registration.eventId);
    const language = registrantPageLanguage(query.lang, registration.language, eventLanguages(shown));
    // The page shows the event's logos: its policy lets their origins through.
    return html(200, renderCancelled({ event: shown, registration, language }), pageHeaders(shown.branding));
  },
});

/** The registrant's changes behind their manage link: cancel, switch session, correct details. */
export const handler = byRoute(cancelRoute, {
  [routeKeyOf("switchSession")]: switchSessionRoute,
  [routeKeyOf("correctDetails")]: correctDetailsRoute,
});
