import { accentOf, type Branding } from "../domain/branding.ts";
import { directions, type Language, pickText } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import { urlTo } from "../paths.ts";

/** A link; rendered as its text in the plain part and as an anchor in the HTML part. */
export interface MailLink {
  label: string;
  url: string;
}

/**
 * The one palette of every mail, transactional or mailing. Inline styles only: many clients drop
 * `<style>`. One column that reads on a phone, no scripts; the only images are the event's logos
 * (`MailBrand`), referenced by URL, which clients that block images replace by their alt text.
 * Buttons and links take the event's accent colour (`brandedStyles`).
 */
export const mailStyles = {
  body: "margin:0;padding:0;background:#f4f5f7;",
  frame:
    "max-width:600px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;",
  card: "background:#ffffff;border-radius:8px;padding:20px;",
  heading: "margin:0 0 16px;font-size:22px;line-height:1.3;",
  paragraph: "margin:0 0 16px;",
  details: "margin:0 0 16px;padding:12px 16px;background:#f4f5f7;border-radius:6px;",
  label: "display:block;font-size:13px;color:#57606a;",
  value: "display:block;margin-bottom:8px;",
  link: "color:#0b4f9c;word-break:break-all;",
  small: "margin:0 0 16px;font-size:14px;color:#57606a;",
  footer: "margin:16px 0 0;font-size:12px;color:#57606a;",
  footerLink: "color:#57606a;text-decoration:underline;",
} as const;

/** An event's identity in its mails: its logos (alt text in the mail's language) and accent colour. */
export interface MailBrand {
  logos: { url: string; alt: string; link?: string | undefined }[];
  accent: string;
}

/** The brand of an event's mails in a language; neutral (no logo, the default accent) without branding. */
export const mailBrand = (branding: Branding | undefined, language: Language): MailBrand => ({
  logos: (branding?.logos ?? []).map((logo) => ({
    url: logo.url,
    alt: pickText(logo.alt, language),
    link: logo.link,
  })),
  accent: accentOf(branding),
});

/** The styles that take the accent: the primary button (white on the accent, 4.5:1 at least) and links. */
export const brandedStyles = (brand: MailBrand | undefined) => {
  const accent = brand?.accent ?? accentOf(undefined);
  return {
    button: `display:inline-block;padding:12px 20px;background:${accent};color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;`,
    link: `color:${accent};word-break:break-all;`,
    card: `${mailStyles.card}border-top:4px solid ${accent};`,
  };
};

/**
 * The logos at the top of the card, 40px high, each a link to its organisation when it has one.
 * Width is left to the client (from the image's ratio); the alt text stands in when images are off.
 */
function logosHtml(brand: MailBrand | undefined): Markup | undefined {
  if (!brand?.logos.length) return undefined;
  const images = brand.logos.map((logo) => {
    const image = markup`<img src="${logo.url}" alt="${logo.alt}" height="40" style="height:40px;width:auto;max-width:180px;border:0;vertical-align:middle;">`;
    const linked = logo.link ? markup`<a href="${webUrl(logo.link)}">${image}</a>` : image;
    return markup`<span style="display:inline-block;margin:0 12px 8px 0;">${linked}</span>`;
  });
  return markup`<p style="margin:0 0 8px;">${images}</p>`;
}

/** Only web links go into a mail: a `javascript:` or `data:` URL is refused, whatever its source. */
export function webUrl(url: string): string {
  const { protocol } = new URL(url);
  if (protocol !== "https:" && protocol !== "http:")
    throw new Error(`Refusing a non-web link in a mail: ${protocol}`);
  return url;
}

export const mailAnchor = (link: MailLink, style: string = mailStyles.link): Markup =>
  markup`<a href="${webUrl(link.url)}" style="${style}">${link.label}</a>`;

/** The label of the privacy notice's link at the foot of every mail, per language. */
const privacyLabels: Record<Language, string> = {
  en: "Privacy notice",
  fr: "Politique de confidentialité",
  ar: "إشعار الخصوصية",
};

/**
 * The link to the event's privacy notice (`GET /events/{eventId}/privacy`) in the mail's language,
 * which every mail carries at its foot (`mailFrame`, `mailTextFooter`).
 */
export const privacyLink = (publicUrl: string, eventId: string, language: Language): MailLink => ({
  label: privacyLabels[language],
  url: urlTo(publicUrl, "privacyNotice", { eventId }, { lang: language }),
});

/**
 * The plain-text foot of every mail: after the `--` line, the mail's own small print, then the
 * privacy notice's link.
 */
export function mailTextFooter(lines: readonly string[], privacy: MailLink, colon: string): string {
  return `--\n${[...lines, `${privacy.label}${colon}${webUrl(privacy.url)}`].join("\n")}`;
}

/**
 * The HTML document of every mail: the card with the mail's own content, the small print under it
 * and the privacy notice's link. Built with `markup`, so every value is escaped unless it is
 * markup already. The direction is on the frame's `<div>` as well as on `<html>`: webmail clients
 * such as Gmail drop the `<html>` element, and an Arabic mail must still read right to left.
 */
export function mailFrame(frame: {
  language: Language;
  subject: string;
  card: Markup;
  footer: Markup;
  privacy: MailLink;
  /** The event's logos and accent; neutral without. */
  brand?: MailBrand | undefined;
}): string {
  return markup`<!doctype html>
<html lang="${frame.language}" dir="${directions[frame.language]}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${frame.subject}</title></head>
<body style="${mailStyles.body}">
<div dir="${directions[frame.language]}" style="${mailStyles.frame}">
<div style="${brandedStyles(frame.brand).card}">
${logosHtml(frame.brand)}
${frame.card}
</div>
${frame.footer}
<p style="${mailStyles.footer}">${mailAnchor(frame.privacy, mailStyles.footerLink)}</p>
</div>
</body>
</html>
`.html;
}
