import type { WebinarEvent } from "../domain/event.ts";
import type { Language } from "../domain/languages.ts";
import { getEvent } from "../events/event-store.ts";
import { getMailing, type Recipient } from "./mailing-store.ts";
import { renderMailingFor } from "./message.ts";
import { resolveRecipients } from "./recipients.ts";

/**
 * The mailing as a recipient in `language` would get it: rendered for the first such recipient of
 * its segment, or for a sample registrant when the segment has none in that language yet.
 */
export async function previewMailing(eventId: string, mailingId: string, language: Language) {
  const [mailing, event] = await Promise.all([getMailing(eventId, mailingId), getEvent(eventId)]);
  const recipients = await resolveRecipients(event, mailing.segment);
  const recipient =
    recipients.find((candidate) => candidate.language === language) ?? sampleRecipient(event, language);
  return { recipient: recipient.email, ...(await renderMailingFor(mailing, event, recipient)) };
}

/** A registrant of the event's first session in `language`, for previews and test copies. */
export function sampleRecipient(event: WebinarEvent, language: Language): Recipient {
  const session = event.sessions.find((candidate) => candidate.language === language) ?? event.sessions[0];
  return {
    registrationId: "",
    email: "registrant@example.org",
    firstName: language === "fr" ? "Camille" : "Alex",
    lastName: language === "fr" ? "Exemple" : "Example",
    organisation: language === "fr" ? "Ville d'exemple" : "Example City",
    language,
    sessionId: session?.id ?? "",
  };
}
