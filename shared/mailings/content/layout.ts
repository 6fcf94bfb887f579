import type { Language } from "../../domain/languages.ts";
import { escapeHtml, type MailLink } from "../../mail/render.ts";

/** What every mailing says under the organiser's text, in the recipient's language. */
export interface MailingFooter {
  reason: string;
  /** The unsubscribe link first: it must be there, visible, in every mailing. */
  links: [MailLink, ...MailLink[]];
  /** Between a label and its URL in the text part. */
  colon: string;
}

export interface MailingLayout {
  language: Language;
  subject: string;
  bodyHtml: string;
  bodyText: string;
  footer: MailingFooter;
}

/**
 * The frame of the transactional mails (`shared/mail/render.ts`: one column, inline styles, same
 * palette), whose styles that module keeps private; a mailing's body is free Markdown, not the
 * fixed blocks its `renderHtml` lays out.
 */
const styles = {
  body: "margin:0;padding:0;background:#f4f5f7;",
  frame:
    "max-width:600px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;",
  card: "background:#ffffff;border-radius:8px;padding:20px;",
  footer: "margin:16px 0 0;font-size:12px;color:#57606a;",
  footerLink: "color:#57606a;text-decoration:underline;",
};

function footerHtml(footer: MailingFooter): string {
  const links = footer.links.map(
    (link) => `<a href="${escapeHtml(link.url)}" style="${styles.footerLink}">${escapeHtml(link.label)}</a>`,
  );
  return `<p style="${styles.footer}">${escapeHtml(footer.reason)}<br>${links.join(" · ")}</p>`;
}

/** The HTML part: the organiser's body in a card, the footer under it. Every value is escaped. */
export function layoutHtml(layout: MailingLayout): string {
  return `<!doctype html>
<html lang="${escapeHtml(layout.language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(layout.subject)}</title></head>
<body style="${styles.body}">
<div style="${styles.frame}">
<div style="${styles.card}">
${layout.bodyHtml}</div>
${footerHtml(layout.footer)}
</div>
</body>
</html>
`;
}

/** The text part: the body, then the footer after the `--` line the transactional mails use too. */
export function layoutText(layout: MailingLayout): string {
  const { reason, links, colon } = layout.footer;
  const footer = [reason, ...links.map((link) => `${link.label}${colon}${link.url}`)].join("\n");
  return `${layout.bodyText}\n\n--\n${footer}\n`;
}
