import { ConflictError } from "../domain/errors.ts";
import { getEvent } from "../events/event-store.ts";
import { text } from "../http/responses.ts";
import { httpRoute } from "../http/route.ts";
import { calendarFile } from "../registrations/calendar-file.ts";
import { manageLinkRequest, registrationForToken } from "../registrations/manage-link.ts";
import { registrantPageLanguage } from "./language.ts";
import { eventLanguages } from "./parts.ts";
import { selfServiceErrorPage } from "./self-service.ts";
import { manageTexts } from "./texts/manage.ts";

/**
 * "Download the invitation" from the manage and thank-you pages: the registrant's calendar entry
 * as an .ics file (the invite of their confirmation again), behind the same signed link. Only a
 * seat in a session that is not cancelled has one.
 */
export const calendarRoute = httpRoute({
  ...manageLinkRequest,
  renderError: selfServiceErrorPage,
  async handle({ params, query }) {
    const registration = await registrationForToken(params.registrationId, query.token);
    const event = await getEvent(registration.eventId);
    const session = event.sessions.find((candidate) => candidate.id === registration.sessionId);
    if (registration.status !== "confirmed" || !session || session.cancelledAt)
      throw new ConflictError("not-confirmed", "only a confirmed registration has a calendar invitation");
    const language = registrantPageLanguage(query.lang, registration.language, eventLanguages(event));
    return text(
      200,
      calendarFile(event, session, registration, language, manageTexts[language].join.label),
      "text/calendar; charset=utf-8",
      {
        "content-disposition": `attachment; filename="${event.id}-${session.id}.ics"`,
      },
    );
  },
});
