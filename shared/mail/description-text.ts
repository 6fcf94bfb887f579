import type { LocalizedText } from "../domain/languages.ts";
import { parseMarkdown } from "../mailings/content/markdown.ts";
import { markdownToText } from "../mailings/content/markdown-text.ts";

/**
 * An event's description per language as plain text, for calendars, which show no Markdown and no
 * HTML: the invites' DESCRIPTION and the Google Calendar / Outlook.com links of the registrant's
 * pages. Written by the mailings' own text renderer (emphasis dropped, links as `label (url)`,
 * list items after "- "), so a description reads the same in a calendar as in a mailing's text
 * part. Rendered once when the event is saved (`putEvent`), beside `descriptionHtml`, so that the
 * pages building the calendar links carry no Markdown parser; read with `plainDescription`.
 */
export function renderDescriptionText(description: LocalizedText): Partial<LocalizedText> {
  return Object.fromEntries(
    Object.entries(description).map(([language, text]) => [language, markdownToText(parseMarkdown(text))]),
  );
}
