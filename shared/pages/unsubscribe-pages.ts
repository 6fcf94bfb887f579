import type { Language } from "../domain/languages.ts";
import { markup } from "../html.ts";
import { renderLayout } from "./layout.ts";
import { unsubscribeTexts } from "./texts/unsubscribe.ts";

export interface UnsubscribePageOptions {
  language: Language;
  /** The address the link was signed for. */
  email: string;
  /** Where the button posts `List-Unsubscribe=One-Click`: the link itself, token included. */
  action: string;
  /** The address already gets no mailings (unsubscribed, bounced or complained): no button. */
  alreadyUnsubscribed: boolean;
}

/**
 * The page behind an unsubscribe link: the address and one button. Opening it changes nothing,
 * because mail scanners and link previews open links; the button posts the same body a mail
 * provider's one-click unsubscribe does (RFC 8058), so both take one path.
 */
export function renderUnsubscribePage({
  language,
  email,
  action,
  alreadyUnsubscribed,
}: UnsubscribePageOptions) {
  const texts = unsubscribeTexts[language];
  const body = alreadyUnsubscribed
    ? markup`<p>${texts.alreadyUnsubscribed}</p>`
    : markup`<p>${texts.scope}</p>
<form method="post" action="${action}" enctype="application/x-www-form-urlencoded">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${texts.button}</button>
</form>`;
  return renderLayout({
    language,
    title: texts.pageTitle,
    content: markup`<h1>${texts.pageTitle}</h1>
<p>${texts.question(email)}</p>
${body}`,
  });
}

/** Confirms an unsubscribe made from the page's button. */
export function renderUnsubscribed({ language, email }: { language: Language; email: string }) {
  const { done } = unsubscribeTexts[language];
  return renderLayout({
    language,
    title: done.title,
    content: markup`<h1>${done.title}</h1>
<p>${done.message}</p>
<p class="muted">${done.detail(email)}</p>`,
  });
}
