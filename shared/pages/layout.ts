import { accentOf, type Branding, imageOrigins } from "../domain/branding.ts";
import { directions, type Language, pickText } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";
import { pagePolicy } from "../http/responses.ts";
import { localTimeScript, localTimeScriptHash, needsLocalTime } from "./local-time.ts";
import { summaryTexts } from "./texts/summary.ts";

/**
 * Inline because the CSP allows no stylesheet URL. One column of at most 40rem that fits a 360px
 * phone, large touch targets (44px; a choice's whole box is its label), a focus ring on
 * everything that can take focus, and colours above WCAG AA (text at least 6:1, borders 3:1).
 * Logical properties only (`margin-inline-end`, `border-inline-start`, `text-align:end`), never
 * left or right, so the layout mirrors under `dir="rtl"` (Arabic). The event's accent colour is the
 * custom property `--accent` (set on `<body>`; checked for 4.5:1 on white when saved).
 * A template without interpolation, so nothing in it is escaped.
 */
const styles = markup`
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1a1a1a;background:#fff;overflow-wrap:break-word}
header,main{max-width:40rem;margin:0 auto;padding:1rem}
.wide :is(header,main){max-width:75rem}
header{padding-bottom:0}
.brand{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem}
.brand nav{margin-inline-start:auto;text-align:end}
.logos{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;list-style:none;margin:0;padding:0}
.logos a{display:block;padding:0;margin:0}
.logos img{display:block;height:2.5rem;width:auto;max-width:8rem;object-fit:contain}
@media (min-width:40rem){.logos{gap:.5rem 1.5rem}.logos img{height:3rem;max-width:11rem}}
.banner{display:block;width:100%;aspect-ratio:5/1;max-height:7.5rem;object-fit:cover;border-radius:6px;margin:1rem 0 0}
nav a,a.standalone{display:inline-flex;align-items:center;min-height:2.75rem}
nav a{padding:0 .5rem;margin-inline-end:-.5rem}
h1{font-size:1.75rem;line-height:1.2;margin:.25rem 0 1rem}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .75rem}
a{color:var(--accent);text-underline-offset:.15em}
:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
input:focus,select:focus,textarea:focus{outline:3px solid var(--accent);outline-offset:1px}
.kicker,.hint,.muted{color:#4d4d4d}
.kicker{margin:0;font-weight:600}
.field,fieldset{margin:0 0 1.5rem}
fieldset{border:0;padding:0;min-width:0}
label,legend{display:block;font-weight:600;margin:0 0 .25rem;padding:0}
.hint{margin:0 0 .25rem}
input[type=text],input[type=email],select,textarea{display:block;width:100%;min-height:2.75rem;padding:.5rem;font:inherit;color:inherit;background:#fff;border:2px solid #4d4d4d;border-radius:4px}
textarea{min-height:8rem;resize:vertical}
.choice{position:relative;display:flex;gap:.75rem;align-items:flex-start;margin:0 0 .5rem;padding:.75rem;border:2px solid #8a8a8a;border-radius:6px}
.choice:has(input:checked){border-color:var(--accent);background:#f6f8fa;background:color-mix(in srgb,var(--accent) 7%,#fff)}
.choice input{flex:none;width:1.5rem;height:1.5rem;margin:.125rem 0 0;accent-color:var(--accent)}
.choice label{flex:1;margin:0;font-weight:400;cursor:pointer}
.choice label::after{content:"";position:absolute;inset:0}
.choice label span{display:block}
.when,.utc{display:block}
.when{font-weight:600}
.invalid{border-inline-start:4px solid #b00020;padding-inline-start:.75rem}
.invalid input[type=text],.invalid input[type=email],.invalid select,.invalid textarea,.invalid .choice{border-color:#b00020}
.invalid :is(input,select,textarea){scroll-margin-top:12rem}
.error-message{margin:0 0 .25rem;color:#b00020;font-weight:600}
.error-summary{margin:0 0 1.5rem;padding:1rem;border:4px solid #b00020}
.error-summary:focus{outline:0}
.error-summary h2{margin-top:0}
.error-summary ul{margin:0}
.error-summary a{display:block;padding:.625rem 0;color:#b00020;font-weight:600}
.notice{margin:0 0 1.5rem;padding:1rem;background:#f3f3f3;border-radius:6px}
.notice h2{margin-top:0}
.warning{padding-inline-start:1rem;border-inline-start:6px solid #b00020}
button{min-height:2.75rem;padding:.625rem 1.25rem;font:inherit;font-weight:600;color:#fff;background:var(--accent);border:0;border-radius:4px;cursor:pointer}
button.danger{background:#b00020}
a.button{display:inline-flex;align-items:center;min-height:2.75rem;padding:.625rem 1.25rem;font-weight:600;color:#fff;background:var(--accent);border-radius:4px;text-decoration:none}
.sessions{list-style:none;margin:0 0 1.5rem;padding:0}
.sessions p{margin:0 0 .25rem}
.seats.full{font-weight:600}
dt{color:#4d4d4d;font-size:.9375rem}
dd{margin:0 0 .75rem}
.columns{display:grid;gap:0 3rem}
@media (min-width:62rem){.columns{grid-template-columns:minmax(0,5fr) minmax(0,7fr);align-items:start}}
.summary-session{margin:0 0 1rem;padding:.75rem 1rem;border:1px solid #d0d7de;border-inline-start:4px solid var(--accent);border-radius:6px}
.summary-session p{margin:0 0 .25rem}
.yours{display:block}
.choice label .yours span{display:inline}
.yours[hidden]{display:none}
details{margin:0 0 1rem}
summary{cursor:pointer;padding:.5rem 0;font-weight:600;color:var(--accent)}
.agenda{list-style:none;margin:.25rem 0 0;padding:0}
.agenda li{margin:0 0 .75rem}
.agenda p{margin:0}
.part-time{color:#4d4d4d;font-variant-numeric:tabular-nums}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
`;

export interface LayoutOptions {
  language: Language;
  title: string;
  content: Markup;
  /** Above the main content, e.g. the language switch. */
  header?: Markup;
  /** More of the document's head: link previews' tags, structured data. */
  head?: Markup;
  /** Only the registration form is for search engines; other pages are answers to one registrant. */
  indexable?: boolean;
  /** The event's logos, banner and accent colour; neutral defaults without. */
  branding?: Branding | undefined;
  /** Two columns on wide screens (the form beside the event's summary) instead of one of 40rem. */
  wide?: boolean;
}

/**
 * The headers of a page that shows an event's branding: its Content-Security-Policy lets images
 * load from exactly the origins of the event's logos and banner (and the script that writes times
 * in the registrant's zone run), nothing else. The images are only referenced: the registrant's
 * browser loads them, never the server.
 */
export const pageHeaders = (branding: Branding | undefined): Record<string, string> => ({
  "content-security-policy": pagePolicy({
    imageOrigins: imageOrigins(branding),
    scriptHashes: [localTimeScriptHash],
  }),
});

/**
 * The organisers' logos (each a link to their site when given) and the language switch, then the
 * banner. Alt texts in the page language: a logo is the organisation's name to a screen reader.
 */
function brandHeader(branding: Branding | undefined, language: Language, header: Markup | undefined) {
  const logos = branding?.logos?.map((logo) => {
    const image = markup`<img src="${logo.url}" alt="${pickText(logo.alt, language)}">`;
    return markup`<li>${logo.link ? markup`<a href="${logo.link}">${image}</a>` : image}</li>`;
  });
  const banner =
    branding?.bannerUrl &&
    markup`<img class="banner" src="${branding.bannerUrl}" alt="${branding.bannerAlt ? pickText(branding.bannerAlt, language) : ""}">`;
  if (!logos && !banner && !header) return undefined;
  return markup`<header><div class="brand">${logos && markup`<ul class="logos" aria-label="${summaryTexts[language].logos}">${logos}</ul>`}${header}</div>${banner}</header>`;
}

/**
 * The frame of every page, so each one declares its language (screen readers, translation tools),
 * scales on phones and looks the same. Referrer off: manage and cancel URLs carry a token.
 */
export function renderLayout({
  language,
  title,
  content,
  header,
  head,
  indexable = false,
  branding,
  wide = false,
}: LayoutOptions): string {
  return `<!doctype html>\n${markup`<html lang="${language}" dir="${directions[language]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${!indexable && markup`<meta name="robots" content="noindex">`}
<title>${title}</title>
${head}
<style>${styles}</style>
</head>
<body${wide && markup` class="wide"`} style="--accent:${accentOf(branding)}">
${brandHeader(branding, language, header)}
<main>
${content}
</main>
${needsLocalTime(content) && localTimeScript}
</body>
</html>
`}`;
}
