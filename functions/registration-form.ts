import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { getEventForPublic } from "#shared/events/event-store";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { formPage } from "#shared/pages/form-pages";
import { pickPageLanguage } from "#shared/pages/language";
import { eventLanguages } from "#shared/pages/parts";

/** The registration form, in one of the event's languages (`?lang=`, else the browser's first one it offers). */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({ lang: z.string().optional() }),
  renderError: htmlErrorPage,
  async handle({ params, query, headers }) {
    const event = await getEventForPublic(params.eventId);
    return formPage(event, pickPageLanguage(query.lang, headers["accept-language"], eventLanguages(event)));
  },
});
