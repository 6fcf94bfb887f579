import Negotiator from "negotiator";
import * as z from "zod";
import { publicView, slugSchema } from "#shared/domain/event";
import { getEventForPublic } from "#shared/events/event-store";
import { html, json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { htmlErrorPage } from "#shared/pages/error-page";
import { renderEventPage } from "#shared/pages/event-page";
import { pickPageLanguage } from "#shared/pages/language";
import { pageHeaders } from "#shared/pages/layout";
import { eventLanguages } from "#shared/pages/parts";
import { pagesPublicUrl } from "#shared/pages/public-url";
import { urlTo } from "#shared/paths";
import { seatsLeft } from "#shared/registrations/seats";

/** JSON first: what scripts get when they send `*\/*` or no `Accept` at all, as before the page existed. */
const mediaTypes = ["application/json", "text/html"];

/**
 * The public view of an event: the JSON that the registration form and scripts read, or, for a
 * browser (whose `Accept` prefers `text/html`), the event's public page to share and register from.
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({ lang: z.string().optional() }),
  renderError: (response, event) =>
    wantsPage(event.headers.accept) ? htmlErrorPage(response, event) : response,
  async handle({ params, query, headers }) {
    const event = await getEventForPublic(params.eventId);
    // One URL, two representations: caches must key on Accept.
    const vary = { vary: "Accept" };
    if (!wantsPage(headers.accept)) return json(200, publicView(event), vary);
    const page = renderEventPage({
      event: publicView(event),
      language: pickPageLanguage(query.lang, headers["accept-language"], eventLanguages(event)),
      seatsLeft: await seatsLeft(event),
      pageUrl: urlTo(pagesPublicUrl, "publicEvent", { eventId: event.id }),
    });
    return html(200, page, { ...vary, ...pageHeaders(event.branding) });
  },
});

function wantsPage(accept: string | undefined): boolean {
  return new Negotiator({ headers: { accept } }).mediaType(mediaTypes) === "text/html";
}
