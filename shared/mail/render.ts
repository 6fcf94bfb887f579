import type { Language } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import { type MailLink, mailAnchor, mailFrame, mailStyles, mailTextFooter, webUrl } from "./frame.ts";

export type { MailLink } from "./frame.ts";

/**
 * A mail's content before it is written out, in plain text only: both parts are rendered from it,
 * so the text and HTML alternatives cannot say different things.
 */
export interface MailContent {
  language: Language;
  subject: string;
  heading: string;
  greeting: string;
  /** Between a label and its value in the text part, as the language writes it. */
  colon: string;
  paragraphs: string[];
  details: { label: string; value: string }[];
  join?: { link: MailLink; button: string; note: string };
  notes: string[];
  manage: MailLink;
  signOff: string;
  signature: string;
  footer: string;
  /** The event's privacy notice, linked at the foot of both parts. */
  privacy: MailLink;
}

/** The plain-text alternative: what screen readers, watches and text-only clients show. */
export function renderText(content: MailContent): string {
  const details = content.details.map(({ label, value }) => `${label}${content.colon}${value}`);
  const join = content.join
    ? [`${content.join.link.label}${content.colon}${webUrl(content.join.link.url)}`, content.join.note]
    : [];
  const blocks = [
    content.greeting,
    ...content.paragraphs,
    [content.heading, ...details, ...join].join("\n"),
    ...content.notes,
    `${content.manage.label}${content.colon}${webUrl(content.manage.url)}`,
    `${content.signOff}\n${content.signature}`,
    mailTextFooter([content.footer], content.privacy, content.colon),
  ];
  return `${blocks.join("\n\n")}\n`;
}

const styles = mailStyles;

const paragraph = (text: string, style: string = styles.paragraph) => markup`<p style="${style}">${text}</p>`;

function detailsHtml(content: MailContent): Markup {
  const rows = content.details.map(
    ({ label, value }) =>
      markup`<span style="${styles.label}">${label}</span><span style="${styles.value}">${value}</span>`,
  );
  return markup`<div style="${styles.details}">${rows}</div>`;
}

function joinHtml(join: NonNullable<MailContent["join"]>, colon: string): Markup {
  const url = webUrl(join.link.url);
  return markup`<p style="${styles.paragraph}">${mailAnchor({ label: join.button, url }, styles.button)}</p><p style="${styles.small}">${join.link.label + colon}${mailAnchor({ label: url, url })}<br>${join.note}</p>`;
}

/** The HTML alternative, in the frame every mail shares. */
export function renderHtml(content: MailContent): string {
  const card = [
    markup`<h1 style="${styles.heading}">${content.heading}</h1>`,
    paragraph(content.greeting),
    ...content.paragraphs.map((text) => paragraph(text)),
    detailsHtml(content),
    content.join ? joinHtml(content.join, content.colon) : markup``,
    ...content.notes.map((text) => paragraph(text, styles.small)),
    markup`<p style="${styles.paragraph}">${mailAnchor(content.manage)}</p>`,
    markup`<p style="${styles.paragraph}">${content.signOff}<br>${content.signature}</p>`,
  ];
  return mailFrame({
    language: content.language,
    subject: content.subject,
    card: markup`${card.map(
      (block) => markup`${block}
`,
    )}`,
    footer: paragraph(content.footer, styles.footer),
    privacy: content.privacy,
  });
}
