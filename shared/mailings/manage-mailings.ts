import { randomUUID } from "node:crypto";
import { keys } from "../aws/table.ts";
import { message } from "../bus/define-event.ts";
import { mailingRequested } from "../bus/events/mailing-requested.ts";
import { publishEvents } from "../bus/publish.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { Language } from "../domain/languages.ts";
import { getEvent } from "../events/event-store.ts";
import { ConflictError, ValidationError } from "../http/errors.ts";
import { sendRawMail } from "../mail/mailer.ts";
import type { MailingSettings } from "./content/mailing-input.ts";
import { changeStatus, getMailing, type Mailing, type Recipient, saveDraft } from "./mailing-store.ts";
import { mailingMessageFor, renderMailingFor } from "./message.ts";
import { resolveRecipients } from "./recipients.ts";

/**
 * Creates a draft mailing and says how many registrants its segment selects now (the list is
 * fixed only when it is sent). Sessions named in the segment must exist.
 */
export async function createMailing(eventId: string, input: MailingSettings, now = new Date()) {
  const event = await getEvent(eventId);
  const unknown = (input.segment.sessions ?? []).filter(
    (id) => !event.sessions.some((session) => session.id === id),
  );
  if (unknown.length > 0) {
    const known = event.sessions.map((session) => session.id).join(", ");
    throw new ValidationError([
      { path: "segment.sessions", message: `no session ${unknown.join(", ")} (sessions: ${known})` },
    ]);
  }
  const recipients = (await resolveRecipients(event, input.segment)).length;
  const mailing: Mailing = {
    ...input,
    mailingId: randomUUID(),
    eventId,
    status: "draft",
    recipients,
    sent: 0,
    skipped: 0,
    failed: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await saveDraft(mailing);
  return { mailingId: mailing.mailingId, recipients };
}

/** Starts sending a draft: once only (409 the second time); the rest happens on the bus. */
export async function sendMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  await changeStatus({ eventId, mailingId }, ["draft"], "sending", now);
  await publishEvents([message(mailingRequested, { eventId, mailingId })]);
  return getMailing(eventId, mailingId);
}

/** Stops a mailing: batches not yet sent send nothing. A sent mailing cannot be cancelled (409). */
export async function cancelMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  await changeStatus({ eventId, mailingId }, ["draft", "sending"], "cancelled", now);
  return getMailing(eventId, mailingId);
}

/** What organisers see of a mailing: its settings, status and counts (internal chain state left out). */
export function mailingView({ pages: _pages, nextPage: _nextPage, ...mailing }: Mailing) {
  return mailing;
}

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
 * Sends one test copy to an organiser, written for a sample registrant. It is paced and checked
 * against the suppression list like any mail, but not recorded as a delivery of the mailing.
 */
export async function sendTestCopy(eventId: string, mailingId: string, email: string, language: Language) {
  const [mailing, event] = await Promise.all([getMailing(eventId, mailingId), getEvent(eventId)]);
  const recipient = { ...sampleRecipient(event, language), email };
  const outcome = await deliverOnce(
    { key: keys.mailingDelivery(mailingId, `test-${randomUUID()}`), to: email, audience: "registrant" },
    async () => {
      const mail = await mailingMessageFor(mailing, event, recipient);
      return sendRawMail({ raw: mail.raw, to: mail.to });
    },
  );
  if (outcome === "suppressed") {
    throw new ConflictError("suppressed", `${email} bounced or complained before: no mail is sent to it`);
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
