import type { WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";

/**
 * The event's description in `language` as calendars get it: the plain text rendered when the
 * event was saved (`renderDescriptionText`); an event saved before that existed gives its
 * Markdown as written until it is saved again. Apart from the renderer, so that the registrant's
 * pages, which build calendar links, do not bundle the Markdown parser.
 */
export const plainDescription = (
  event: Pick<WebinarEvent, "description" | "descriptionText">,
  language: Language,
): string => pickText(event.descriptionText ?? event.description, language);
