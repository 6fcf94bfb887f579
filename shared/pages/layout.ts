import { directions, type Language } from "../domain/languages.ts";
import { type Markup, markup } from "../html.ts";

/**
 * Inline because the CSP allows no stylesheet URL. One column of at most 40rem that fits a 360px
 * phone, large touch targets (44px; a choice's whole box is its label), a focus ring on
 * everything that can take focus, and colours above WCAG AA (text at least 6:1, borders 3:1).
 * Logical properties only (`margin-inline-end`, `border-inline-start`, `text-align:end`), never
 * left or right, so the layout mirrors under `dir="rtl"` (Arabic).
 * A template without interpolation, so nothing in it is escaped.
 */
const styles = markup`
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1a1a1a;background:#fff;overflow-wrap:break-word}
header,main{max-width:40rem;margin:0 auto;padding:1rem}
header{padding-bottom:0;text-align:end}
header a,a.standalone{display:inline-flex;align-items:center;min-height:2.75rem}
header a{padding:0 .5rem;margin-inline-end:-.5rem}
h1{font-size:1.75rem;line-height:1.2;margin:.25rem 0 1rem}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .75rem}
a{color:#0b4f9c;text-underline-offset:.15em}
:focus-visible{outline:3px solid #0b4f9c;outline-offset:3px}
input:focus,select:focus,textarea:focus{outline:3px solid #0b4f9c;outline-offset:1px}
.kicker,.hint,.muted{color:#4d4d4d}
.kicker{margin:0;font-weight:600}
.description{white-space:pre-line}
.field,fieldset{margin:0 0 1.5rem}
fieldset{border:0;padding:0;min-width:0}
label,legend{display:block;font-weight:600;margin:0 0 .25rem;padding:0}
.hint{margin:0 0 .25rem}
input[type=text],input[type=email],select,textarea{display:block;width:100%;min-height:2.75rem;padding:.5rem;font:inherit;color:inherit;background:#fff;border:2px solid #4d4d4d;border-radius:4px}
textarea{min-height:8rem;resize:vertical}
.choice{position:relative;display:flex;gap:.75rem;align-items:flex-start;margin:0 0 .5rem;padding:.75rem;border:2px solid #8a8a8a;border-radius:6px}
.choice:has(input:checked){border-color:#0b4f9c;background:#f0f5fc}
.choice input{flex:none;width:1.5rem;height:1.5rem;margin:.125rem 0 0;accent-color:#0b4f9c}
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
button{min-height:2.75rem;padding:.625rem 1.25rem;font:inherit;font-weight:600;color:#fff;background:#00703c;border:0;border-radius:4px;cursor:pointer}
button.danger{background:#b00020}
a.button{display:inline-flex;align-items:center;min-height:2.75rem;padding:.625rem 1.25rem;font-weight:600;color:#fff;background:#00703c;border-radius:4px;text-decoration:none}
.sessions{list-style:none;margin:0 0 1.5rem;padding:0}
.sessions p{margin:0 0 .25rem}
.seats.full{font-weight:600}
dt{color:#4d4d4d;font-size:.9375rem}
dd{margin:0 0 .75rem}
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
<body>
${header && markup`<header>${header}</header>`}
<main>
${content}
</main>
</body>
</html>
`}`;
}
