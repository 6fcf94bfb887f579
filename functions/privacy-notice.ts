import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { getEventForPublic } from "#shared/events/event-store";
import { html } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { pickPageLanguage } from "#shared/pages/language";
import { pageHeaders } from "#shared/pages/layout";
import { eventLanguages } from "#shared/pages/parts";
import { renderPrivacyPage } from "#shared/pages/privacy-page";

/** The privacy notice of an event, in its languages (`?lang=`, else the browser's). */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({ lang: z.string().max(35).optional() }),
  renderError: htmlErrorPage,
  async handle({ params, query, headers }) {
    const event = await getEventForPublic(params.eventId);
    const page = renderPrivacyPage(
      event,
      pickPageLanguage(query.lang, headers["accept-language"], eventLanguages(event)),
    );
    return html(200, page, pageHeaders(event.branding));
  },
});
