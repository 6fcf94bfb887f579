import type { Language } from "../domain/languages.ts";
import { escapeHtml } from "../html.ts";

/** A link; rendered as its text in the plain part and as an anchor in the HTML part. */
export interface MailLink {
  label: string;
  url: string;
}

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
}

export { escapeHtml };

/** Only web links go into a mail: a `javascript:` or `data:` URL is refused, whatever its source. */
function webUrl(url: string): string {
  const { protocol } = new URL(url);
  if (protocol !== "https:" && protocol !== "http:")
    throw new Error(`Refusing a non-web link in a mail: ${protocol}`);
  return url;
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
    `--\n${content.footer}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}

const styles = {
  body: "margin:0;padding:0;background:#f4f5f7;",
  frame:
    "max-width:600px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;",
  card: "background:#ffffff;border-radius:8px;padding:20px;",
  heading: "margin:0 0 16px;font-size:22px;line-height:1.3;",
  paragraph: "margin:0 0 16px;",
  details: "margin:0 0 16px;padding:12px 16px;background:#f4f5f7;border-radius:6px;",
  label: "display:block;font-size:13px;color:#57606a;",
  value: "display:block;margin-bottom:8px;",
  button:
    "display:inline-block;padding:12px 20px;background:#0b57d0;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;",
  link: "color:#0b57d0;word-break:break-all;",
  small: "margin:0 0 16px;font-size:14px;color:#57606a;",
  footer: "margin:16px 0 0;font-size:12px;color:#57606a;",
};

const paragraph = (text: string, style = styles.paragraph) => `<p style="${style}">${escapeHtml(text)}</p>`;

const anchor = (link: MailLink, style = styles.link) =>
  `<a href="${escapeHtml(webUrl(link.url))}" style="${style}">${escapeHtml(link.label)}</a>`;

function detailsHtml(content: MailContent): string {
  const rows = content.details.map(
    ({ label, value }) =>
      `<span style="${styles.label}">${escapeHtml(label)}</span><span style="${styles.value}">${escapeHtml(value)}</span>`,
  );
  return `<div style="${styles.details}">${rows.join("")}</div>`;
}

function joinHtml(join: NonNullable<MailContent["join"]>, colon: string): string {
  const url = webUrl(join.link.url);
  return (
    `<p style="${styles.paragraph}">${anchor({ label: join.button, url }, styles.button)}</p>` +
    `<p style="${styles.small}">${escapeHtml(join.link.label + colon)}${anchor({ label: url, url })}<br>${escapeHtml(join.note)}</p>`
  );
}

/**
 * The HTML alternative: one column that reads on a phone, inline styles only (many clients drop
 * `<style>`), no images or scripts, every value escaped.
 */
export function renderHtml(content: MailContent): string {
  const card = [
    `<h1 style="${styles.heading}">${escapeHtml(content.heading)}</h1>`,
    paragraph(content.greeting),
    ...content.paragraphs.map((text) => paragraph(text)),
    detailsHtml(content),
    content.join ? joinHtml(content.join, content.colon) : "",
    ...content.notes.map((text) => paragraph(text, styles.small)),
    `<p style="${styles.paragraph}">${anchor(content.manage)}</p>`,
    `<p style="${styles.paragraph}">${escapeHtml(content.signOff)}<br>${escapeHtml(content.signature)}</p>`,
  ].join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(content.language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>
<body style="${styles.body}">
<div style="${styles.frame}">
<div style="${styles.card}">
${card}
</div>
${paragraph(content.footer, styles.footer)}
</div>
</body>
</html>
`;
}
