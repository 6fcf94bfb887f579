import type { MarkedToken, Token, Tokens } from "marked";
import { ownToken } from "./markdown.ts";
import { readableUrl, safeLinkUrl } from "./urls.ts";

/** A link as plain text: `label (url)`, or the label alone when it is the URL already. */
function linkText(label: string, href: string): string {
  const url = safeLinkUrl(href);
  if (url === undefined) return label;
  const shown = readableUrl(url);
  if (label === "") return shown;
  const bare = shown.replace(/^https?:\/\//, "").replace(/\/$/, "");
  return [shown, href, bare].includes(label) ? label : `${label} (${shown})`;
}

function inlineTokenText(token: MarkedToken): string {
  switch (token.type) {
    case "br":
      return "\n";
    case "link":
      return linkText(inlineText(token.tokens), token.href);
    case "image":
      return linkText(token.text, token.href);
    case "checkbox":
      return token.checked ? "[x] " : "[ ] ";
    case "text":
      return token.tokens ? inlineText(token.tokens) : token.text;
    default:
      if ("tokens" in token) return inlineText(token.tokens);
      return "text" in token ? token.text : "";
  }
}

function inlineText(tokens: Token[]): string {
  return tokens.map((token) => inlineTokenText(ownToken(token))).join("");
}

/** Lines after the first start under the first one's text, as lists and quotes read in plain text. */
function indent(text: string, first: string, rest = " ".repeat(first.length)): string {
  return text
    .split("\n")
    .map((line, index) => (line === "" ? line : (index === 0 ? first : rest) + line))
    .join("\n");
}

const underlines: Record<number, string> = { 1: "=", 2: "-" };

function headingText(text: string, depth: number): string {
  const underline = underlines[depth];
  return underline === undefined ? text : `${text}\n${underline.repeat([...text].length)}`;
}

function listText(list: Tokens.List): string {
  const first = list.start === "" ? 1 : list.start;
  const items = list.items.map((item, index) => {
    const marker = list.ordered ? `${first + index}. ` : "- ";
    return indent(blocksText(item.tokens, item.loose ? "\n\n" : "\n"), marker);
  });
  return items.join(list.loose ? "\n\n" : "\n");
}

function tableText(table: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inlineText(cell.tokens)).join(" | ");
  return [row(table.header), ...table.rows.map(row)].join("\n");
}

function blockText(token: MarkedToken): string {
  switch (token.type) {
    case "space":
    case "def":
      return "";
    case "heading":
      return headingText(inlineText(token.tokens), token.depth);
    case "list":
      return listText(token);
    case "blockquote":
      return indent(blocksText(token.tokens), "> ", "> ");
    case "code":
      return indent(token.text, "    ");
    case "hr":
      return "----------";
    case "table":
      return tableText(token);
    case "html":
      return token.text.trim();
    default:
      return inlineTokenText(token);
  }
}

/** A task's checkbox is a token of its own; it stays on the line of the text it ticks. */
function blocksText(tokens: Token[], separator = "\n\n"): string {
  const blocks: string[] = [];
  let pending = "";
  for (const token of tokens.map(ownToken)) {
    const text = blockText(token);
    if (token.type === "checkbox") pending += text;
    else if (text !== "") {
      blocks.push(pending + text);
      pending = "";
    }
  }
  return blocks.join(separator);
}

/**
 * The plain-text part of a mailing, from the same filled tokens as its HTML so the two never say
 * different things: what screen readers, watches and text-only clients show, and what spam filters
 * compare the HTML with. Links read as `text (url)`; emphasis is dropped rather than spelled out.
 */
export const markdownToText = (tokens: Token[]): string => blocksText(tokens);
