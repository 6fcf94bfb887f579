import { UnprocessableError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { Language } from "../domain/languages.ts";
import { getEvent } from "../events/event-store.ts";
import { sendRawMail } from "../mail/mailer.ts";
import { stopsMail } from "../suppression/suppression.ts";
import { suppressionOf } from "../suppression/suppression-store.ts";
import { getMailing, type Recipient } from "./mailing-store.ts";
import { mailingMessageFor, renderMailingFor } from "./message.ts";
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

/**
 * Sends one test copy to an organiser, written for a sample registrant. It is paced like any mail
 * and refused for an address that bounced or complained, but it is no delivery of the mailing:
 * nothing is recorded, and it can be sent again after an edit.
 */
export async function sendTestCopy(eventId: string, mailingId: string, email: string, language: Language) {
  const [mailing, event, suppression] = await Promise.all([
    getMailing(eventId, mailingId),
    getEvent(eventId),
    suppressionOf(email),
  ]);
  if (stopsMail(suppression, "registrant")) {
    throw new UnprocessableError(
      "suppressed",
      `${email} bounced or complained before: no mail is sent to it`,
    );
  }
  const mail = await mailingMessageFor(mailing, event, { ...sampleRecipient(event, language), email });
  try {
    await sendRawMail({ raw: mail.raw, to: mail.to });
  } catch (error) {
    if (error instanceof Error && error.name === "MessageRejected") {
      throw new UnprocessableError("rejected", `the mail service refused ${email}: ${error.message}`);
    }
    throw error;
  }
}

function sampleRecipient(event: WebinarEvent, language: Language): Recipient {
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
