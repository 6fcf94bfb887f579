import type { WebinarEvent } from "../domain/event.ts";
import { mailSettings, publicUrl } from "../mail/settings.ts";
import { manageUrl } from "../registrations/links.ts";
import { unsubscribeUrl } from "../suppression/unsubscribe.ts";
import { buildMailingMessage } from "./content/mailing-message.ts";
import { renderMailing } from "./content/render-mailing.ts";
import type { Mailing, Recipient } from "./mailing.ts";

/** What a mailing needs to be rendered for one recipient: their session and their own links. */
async function renderInput(mailing: Mailing, event: WebinarEvent, recipient: Recipient) {
  const session =
    event.sessions.find((candidate) => candidate.id === recipient.sessionId) ?? event.sessions[0];
  if (!session) throw new Error(`event ${event.id} has no session`);
  return {
    mailing,
    event,
    session,
    recipient,
    publicUrl,
    unsubscribeUrl: await unsubscribeUrl(publicUrl, recipient.email, recipient.language),
    manageUrl: recipient.registrationId ? await manageUrl(publicUrl, recipient.registrationId) : undefined,
  };
}

/** The raw message of a mailing for one recipient, with its unsubscribe headers and link. */
export async function mailingMessageFor(mailing: Mailing, event: WebinarEvent, recipient: Recipient) {
  return buildMailingMessage({
    ...(await renderInput(mailing, event, recipient)),
    from: mailSettings.from,
  });
}

/** The mailing as one recipient would read it (subject, HTML, text), for the preview route. */
export async function renderMailingFor(mailing: Mailing, event: WebinarEvent, recipient: Recipient) {
  return renderMailing(await renderInput(mailing, event, recipient));
}
