import { pickText } from "../../domain/languages.ts";
import { composeMessage, type MailAddress } from "../../mail/compose.ts";
import { type RenderMailingInput, renderMailing } from "./render-mailing.ts";
import { requireWebUrl } from "./urls.ts";

export interface MailingMessageInput extends RenderMailingInput {
  /** The From header, e.g. the sender address of `mailSettings`. */
  from: MailAddress;
  /** Where replies go; the event's organiser when not given, never the sending address. */
  replyTo?: MailAddress | undefined;
}

export interface MailingMessage {
  /** The recipient's address, for SES `Destinations`. */
  to: string;
  subject: string;
  raw: Buffer;
}

/**
 * RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders: the URL receives
 * a `POST` with `List-Unsubscribe=One-Click`. Passed verbatim (`composeMessage` neither folds nor
 * encodes them), since providers compare the `Post` value byte for byte. No `mailto:` alternative:
 * there is no mailbox to read it.
 */
export function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return {
    "List-Unsubscribe": `<${requireWebUrl(unsubscribeUrl)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/**
 * The raw MIME of one recipient's copy of a mailing, for SES `SendRawEmail`: rendered by
 * `renderMailing`, with both unsubscribe headers and the organiser as Reply-To, so that answers to
 * a "thank you for coming" reach people who can help. No calendar invite: a mailing is not an
 * appointment, and reminders already carry one.
 */
export async function buildMailingMessage(input: MailingMessageInput): Promise<MailingMessage> {
  const rendered = renderMailing(input);
  const { recipient, event } = input;
  const raw = await composeMessage({
    language: rendered.language,
    from: input.from,
    to: { name: `${recipient.firstName} ${recipient.lastName}`, address: recipient.email },
    replyTo: input.replyTo ?? {
      name: pickText(event.organiser.name, rendered.language),
      address: event.organiser.email,
    },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: unsubscribeHeaders(input.unsubscribeUrl),
  });
  return { to: recipient.email, subject: rendered.subject, raw };
}
