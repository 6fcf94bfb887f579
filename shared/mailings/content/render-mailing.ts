import { formatSessionTime } from "../../domain/dates.ts";
import type { Session, WebinarEvent } from "../../domain/event.ts";
import { type Language, type LocalizedText, languages, pickText } from "../../domain/languages.ts";
import { mailBrand, privacyLink } from "../../mail/frame.ts";
import { fillTokens } from "./fill-tokens.ts";
import { layoutHtml, layoutText, type MailingFooter } from "./layout.ts";
import type { MailingContent } from "./mailing-input.ts";
import { markdownToHtml, parseMarkdown } from "./markdown.ts";
import { markdownToText } from "./markdown-text.ts";
import { fillPlainText, type PlaceholderValues, resolverOf } from "./placeholders.ts";
import { mailingTexts } from "./texts/index.ts";
import { requireWebUrl } from "./urls.ts";

/** Who a mailing is rendered for; a `Registration` is one. */
export interface MailingRecipient {
  firstName: string;
  lastName: string;
  email: string;
  language: Language;
  organisation?: string | undefined;
}

export interface RenderMailingInput {
  mailing: MailingContent;
  event: Pick<WebinarEvent, "id" | "title" | "organiser" | "branding">;
  /** The recipient's session: `{{sessionDate}}` is its start. */
  session: Pick<Session, "startsAt" | "timezone">;
  recipient: MailingRecipient;
  /** The recipient's one-click unsubscribe link (also the `List-Unsubscribe` header). */
  unsubscribeUrl: string;
  /** The registration's manage page, linked in the footer when given. */
  manageUrl?: string | undefined;
  /** Base of the links in mails (`publicUrl`): the event's privacy notice is linked in the footer. */
  publicUrl: string;
}

export interface RenderedMailing {
  /** The language the mail is written in: the recipient's, unless the mailing has no text in it. */
  language: Language;
  subject: string;
  html: string;
  text: string;
}

/** The recipient's language if the body is written in it, else the first that is (as `pickText`). */
function mailingLanguage(body: LocalizedText, preferred: Language): Language {
  if (body[preferred] !== undefined) return preferred;
  return languages.find((language) => body[language] !== undefined) ?? preferred;
}

/** Dates and the title follow the mail's language, so a French mail never carries an English date. */
function placeholderValues(input: RenderMailingInput, language: Language): PlaceholderValues {
  const { recipient, event, session } = input;
  return {
    fields: {
      firstName: recipient.firstName,
      lastName: recipient.lastName,
      eventTitle: pickText(event.title, language),
      sessionDate: formatSessionTime(session.startsAt, session.timezone, language).local,
      organisation: recipient.organisation ?? "",
    },
    links: input.mailing.links ?? {},
  };
}

function footer(input: RenderMailingInput, language: Language): MailingFooter {
  const texts = mailingTexts[language];
  const manage =
    input.manageUrl === undefined ? [] : [{ label: texts.manage, url: requireWebUrl(input.manageUrl) }];
  return {
    reason: texts.reason({ title: pickText(input.event.title, language) }),
    links: [{ label: texts.unsubscribe, url: requireWebUrl(input.unsubscribeUrl) }, ...manage],
    colon: texts.colon,
    privacy: privacyLink(input.publicUrl, input.event.id, language),
  };
}

/** A subject is one header line, whatever line breaks an event title holds; no-break spaces stay. */
const oneLine = (text: string) => text.replace(/[\t\n\v\f\r\u2028\u2029]+/g, " ").trim();

/**
 * One recipient's copy of a mailing, for sending and for the preview. Steps: pick the language
 * (the recipient's, else one the mailing is written in); parse the organiser's Markdown; fill the
 * placeholders into the parsed tokens, so a value is text and never Markdown; render the same
 * tokens as HTML and as plain text; frame them with the footer that says why the mail came and
 * carries the visible unsubscribe link.
 */
export function renderMailing(input: RenderMailingInput): RenderedMailing {
  const language = mailingLanguage(input.mailing.body, input.recipient.language);
  const resolve = resolverOf(placeholderValues(input, language));
  const subject = oneLine(fillPlainText(pickText(input.mailing.subject, language), resolve));
  const tokens = fillTokens(parseMarkdown(pickText(input.mailing.body, language)), resolve);
  const layout = {
    language,
    subject,
    bodyHtml: markdownToHtml(tokens),
    bodyText: markdownToText(tokens),
    footer: footer(input, language),
    brand: mailBrand(input.event.branding, language),
  };
  return { language, subject, html: layoutHtml(layout), text: layoutText(layout) };
}
