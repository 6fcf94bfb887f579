import type { Language } from "../../domain/languages.ts";
import { type Markup, markup, renderedHtml } from "../../html.ts";
import {
  type MailBrand,
  type MailLink,
  mailAnchor,
  mailFrame,
  mailStyles,
  mailTextFooter,
} from "../../mail/frame.ts";

/** What every mailing says under the organiser's text, in the recipient's language. */
export interface MailingFooter {
  reason: string;
  /** The unsubscribe link first: it must be there, visible, in every mailing. */
  links: [MailLink, ...MailLink[]];
  /** Between a label and its URL in the text part. */
  colon: string;
  /** The event's privacy notice, linked at the foot of both parts. */
  privacy: MailLink;
}

export interface MailingLayout {
  language: Language;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  footer: MailingFooter;
  /** The event's logos and accent colour, as in its transactional mails. */
  brand?: MailBrand | undefined;
}

function footerHtml(footer: MailingFooter): Markup {
  const links = footer.links.map((link, index) => [
    index > 0 ? " · " : "",
    mailAnchor(link, mailStyles.footerLink),
  ]);
  return markup`<p style="${mailStyles.footer}">${footer.reason}<br>${links}</p>`;
}

/** The HTML part: the organiser's body (rendered, escaped Markdown) in the frame every mail shares. */
export function layoutHtml(layout: MailingLayout): string {
  return mailFrame({
    language: layout.language,
    subject: layout.subject,
    card: renderedHtml(layout.bodyHtml),
    footer: footerHtml(layout.footer),
    privacy: layout.footer.privacy,
    brand: layout.brand,
  });
}

/** The text part: the body, then the footer after the `--` line the transactional mails use too. */
export function layoutText(layout: MailingLayout): string {
  const { reason, links, colon, privacy } = layout.footer;
  const lines = [reason, ...links.map((link) => `${link.label}${colon}${link.url}`)];
  return `${layout.bodyText}\n\n${mailTextFooter(lines, privacy, colon)}\n`;
}
