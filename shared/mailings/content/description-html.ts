import { marked } from "marked";
import type { LocalizedText } from "../../domain/languages.ts";
import { markdownToHtml, parseMarkdown } from "./markdown.ts";

/**
 * An event's description per language as the pages show it: the HTML of its first paragraph, then
 * of the rest (folded by the pages), rendered by the mailings' Markdown renderer, which escapes
 * every text, shows raw HTML as text and keeps only web and mail links. Rendered once when the
 * event is saved (`putEvent`), so the Markdown parser (50 KB) stays out of the public pages'
 * bundles; whatever a client sends in its place is replaced. The page's title is its one `<h1>`,
 * so the description's headings start a level below it (`# Programme` is an `<h2>`, as the pages'
 * own sections are): screen-reader users move through a page by its heading outline.
 */
export function renderDescriptionHtml(description: LocalizedText) {
  return Object.fromEntries(
    Object.entries(description).map(([language, text]) => {
      const tokens = parseMarkdown(text);
      marked.walkTokens(tokens, (token) => {
        if (token.type === "heading") token.depth = Math.min(token.depth + 1, 6);
      });
      const firstBlock = tokens.findIndex((token) => token.type !== "space");
      const rest = tokens.slice(firstBlock + 1);
      return [
        language,
        {
          lead: markdownToHtml(tokens.slice(0, firstBlock + 1)),
          ...(rest.some((token) => token.type !== "space") && { rest: markdownToHtml(rest) }),
        },
      ];
    }),
  );
}
