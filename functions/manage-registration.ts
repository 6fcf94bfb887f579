import * as z from "zod";
import { getEvent } from "#shared/events/event-store";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { pickPageLanguage } from "#shared/pages/language";
import { renderManagePage } from "#shared/pages/registration-pages";
import { pathTo } from "#shared/paths";
import { registrationForToken } from "#shared/registrations/manage-link";

/** The page behind a registration's manage link: the registration and a cancel button. */
export const handler = httpRoute({
  params: z.object({ registrationId: z.string().min(1).max(100) }),
  query: z.object({ token: z.string().optional(), lang: z.string().optional() }),
  renderError: htmlErrorPage,
  async handle({ params, query }) {
    const registration = await registrationForToken(params.registrationId, query.token);
    const event = await getEvent(registration.eventId);
    const language = pickPageLanguage(query.lang ?? registration.language, undefined);
    const cancelAction = pathTo(
      "cancelRegistration",
      { registrationId: registration.registrationId },
      { token: query.token ?? "", lang: language },
    );
    return html(200, renderManagePage({ event, registration, language, cancelAction }));
  },
});
