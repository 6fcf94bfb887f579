import type { Language } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import {
  brandedStyles,
  type MailBrand,
  type MailLink,
  mailAnchor,
  mailFrame,
  mailStyles,
  mailTextFooter,
  webUrl,
} from "./frame.ts";

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
  /** The session's parts, each with its times and who moderates or speaks. */
  agenda?: { title: string; parts: { times: string; title: string; people: string[] }[] } | undefined;
  /** The primary action when there is a seat: a button in the HTML part, the URL first in the text part. */
  join?: { link: MailLink; button: string; note: string };
  notes: string[];
  manage: MailLink;
  signOff: string;
  signature: string;
  footer: string;
  /** The event's privacy notice, linked at the foot of both parts. */
  privacy: MailLink;
  /** The event's logos and accent colour, in the HTML part. */
  brand?: MailBrand | undefined;
}

/** The agenda as lines: "10:00 – 10:45  Title", then who moderates or speaks, indented. */
const agendaText = (agenda: NonNullable<MailContent["agenda"]>) =>
  [
    agenda.title,
    ...agenda.parts.flatMap((part) => [
      `${part.times}  ${part.title}`,
      ...part.people.map((line) => `    ${line}`),
    ]),
  ].join("\n");

/**
 * The plain-text alternative: what screen readers, watches and text-only clients show. Enough on
 * its own: the session's time in its zone and in UTC, the join link (with a seat), the manage link.
 */
export function renderText(content: MailContent): string {
  const details = content.details.map(({ label, value }) => `${label}${content.colon}${value}`);
  const join = content.join
    ? [`${content.join.link.label}${content.colon}${webUrl(content.join.link.url)}`, content.join.note]
    : [];
  const blocks = [
    content.greeting,
    ...content.paragraphs,
    [content.heading, ...details, ...join].join("\n"),
    ...(content.agenda ? [agendaText(content.agenda)] : []),
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

function joinHtml(
  join: NonNullable<MailContent["join"]>,
  colon: string,
  brand: MailBrand | undefined,
): Markup {
  const url = webUrl(join.link.url);
  const branded = brandedStyles(brand);
  return markup`<p style="${styles.paragraph}">${mailAnchor({ label: join.button, url }, branded.button)}</p><p style="${styles.small}">${join.link.label + colon}${mailAnchor({ label: url, url }, branded.link)}<br>${join.note}</p>`;
}

function agendaHtml(agenda: NonNullable<MailContent["agenda"]>): Markup {
  const parts = agenda.parts.map(
    (part) =>
      markup`<li style="margin:0 0 8px;"><span style="color:#57606a;">${part.times}</span> <strong>${part.title}</strong>${part.people.map((line) => markup`<br><span style="font-size:14px;color:#57606a;">${line}</span>`)}</li>`,
  );
  return markup`<h2 style="margin:0 0 8px;font-size:16px;line-height:1.3;">${agenda.title}</h2><ul style="margin:0 0 16px;padding:0;list-style:none;">${parts}</ul>`;
}

/**
 * The manage link: the primary action (a button) when the mail has no join link to offer, such as
 * a waiting-list mail; a plain link under the join button otherwise, so there is one clear action.
 */
function manageHtml(content: MailContent): Markup {
  const branded = brandedStyles(content.brand);
  return markup`<p style="${styles.paragraph}">${mailAnchor(content.manage, content.join ? branded.link : branded.button)}</p>`;
}

/** The HTML alternative, in the frame every mail shares. */
export function renderHtml(content: MailContent): string {
  const card = [
    markup`<h1 style="${styles.heading}">${content.heading}</h1>`,
    paragraph(content.greeting),
    ...content.paragraphs.map((text) => paragraph(text)),
    detailsHtml(content),
    content.join ? joinHtml(content.join, content.colon, content.brand) : markup``,
    content.agenda ? agendaHtml(content.agenda) : markup``,
    ...content.notes.map((text) => paragraph(text, styles.small)),
    manageHtml(content),
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
    brand: content.brand,
  });
}
