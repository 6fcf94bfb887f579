import type { Language, LocalizedText } from "../domain/languages.ts";
import { pickText } from "../domain/languages.ts";
import { markup, renderedHtml } from "../html.ts";
import { markdownToHtml, parseMarkdown } from "../mailings/content/markdown.ts";
import type { DescriptionRenderer } from "./parts.ts";
import { langOf } from "./parts.ts";
import { summaryTexts } from "./texts/summary.ts";

/**
 * An event's description, written in Markdown like the mailings and rendered by their renderer
 * (every text escaped, raw HTML shown as text, only web and mail links): its first paragraph,
 * then the rest folded in a `<details>`, so a long description does not push the form down.
 */
export const markdownDescription: DescriptionRenderer = (description: LocalizedText, language: Language) => {
  const tokens = parseMarkdown(pickText(description, language));
  const firstBlock = tokens.findIndex((token) => token.type !== "space");
  const head = tokens.slice(0, firstBlock + 1);
  const rest = tokens.slice(firstBlock + 1);
  const more = rest.some((token) => token.type !== "space");
  return markup`<div class="description"${langOf(description, language)}>${renderedHtml(markdownToHtml(head))}
${more && markup`<details><summary>${summaryTexts[language].readMore}</summary>${renderedHtml(markdownToHtml(rest))}</details>`}</div>`;
};
