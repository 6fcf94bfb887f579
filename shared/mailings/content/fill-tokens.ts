import type { MarkedToken, Token, Tokens } from "marked";
import { ownToken } from "./markdown.ts";
import { fillPlainText, type PlaceholderValue, type Resolve, splitPlaceholders } from "./placeholders.ts";

const textToken = (text: string): Tokens.Text => ({ type: "text", raw: text, text, escaped: false });

/** A URL standing alone in running text, as GFM would have linked it had it been typed there. */
const urlLink = (url: string): Tokens.Link => ({
  type: "link",
  raw: url,
  href: url,
  text: url,
  autolink: true,
  tokens: [textToken(url)],
});

/** In a destination a link of the mailing goes in whole; a name is one encoded URL component. */
function fillHref(href: string, resolve: Resolve): string {
  return splitPlaceholders(href)
    .map((part) => {
      if (typeof part === "string") return part;
      const { kind, value } = resolve(part.placeholder);
      return kind === "url" ? value : encodeURIComponent(value);
    })
    .join("");
}

/** Running text; a URL placeholder outside a link becomes a link (anchors cannot nest). */
function fillRunningText(token: Tokens.Text, resolve: Resolve, inLink: boolean): Token[] {
  const pieces: PlaceholderValue[] = splitPlaceholders(token.text).map((part) =>
    typeof part === "string" ? { kind: "text", value: part } : resolve(part.placeholder),
  );
  if (inLink || pieces.every((piece) => piece.kind === "text"))
    return [{ ...token, text: pieces.map((piece) => piece.value).join("") }];
  return pieces.map((piece) => (piece.kind === "url" ? urlLink(piece.value) : textToken(piece.value)));
}

/** A bare URL with a placeholder in it reads as the filled, encoded URL it leads to. */
function fillLink<T extends Tokens.Link | Tokens.Image>(token: T, resolve: Resolve): T {
  const href = fillHref(token.href, resolve);
  const bareUrl = token.type === "link" && token.autolink === true && href !== token.href;
  return {
    ...token,
    href,
    text: bareUrl ? href : fillPlainText(token.text, resolve),
    ...(token.title && { title: fillPlainText(token.title, resolve) }),
    tokens: bareUrl ? [textToken(href)] : fillAll(token.tokens, resolve, true),
  };
}

function fillToken(token: MarkedToken, resolve: Resolve, inLink: boolean): Token[] {
  const fillCell = (cell: Tokens.TableCell) => ({ ...cell, tokens: fillAll(cell.tokens, resolve, inLink) });
  switch (token.type) {
    case "text":
      return token.tokens
        ? [{ ...token, tokens: fillAll(token.tokens, resolve, inLink) }]
        : fillRunningText(token, resolve, inLink);
    case "codespan":
    case "code":
    case "html":
      return [{ ...token, text: fillPlainText(token.text, resolve) }];
    case "link":
    case "image":
      return [fillLink(token, resolve)];
    case "list":
      return [
        {
          ...token,
          items: token.items.map((item) => ({ ...item, tokens: fillAll(item.tokens, resolve, inLink) })),
        },
      ];
    case "table":
      return [
        { ...token, header: token.header.map(fillCell), rows: token.rows.map((row) => row.map(fillCell)) },
      ];
    default:
      return "tokens" in token ? [{ ...token, tokens: fillAll(token.tokens, resolve, inLink) }] : [token];
  }
}

function fillAll(tokens: Token[], resolve: Resolve, inLink: boolean): Token[] {
  return tokens.flatMap((token) => fillToken(ownToken(token), resolve, inLink));
}

/**
 * Puts one recipient's values into the tokens of the organiser's Markdown. The Markdown was parsed
 * before any value went in, so a value is only ever text of a token (or a link's destination) and
 * cannot add structure: a registrant named `**x**` or `[a](b)` is shown as typed. Returns new
 * tokens; the parsed ones can be reused for the next recipient.
 */
export function fillTokens(tokens: Token[], resolve: Resolve): Token[] {
  return fillAll(tokens, resolve, false);
}

/**
 * The placeholders a parsed body uses, found by the same walk that fills them: what validation
 * accepts is exactly what rendering replaces (a `\{{x}}` escaped by the organiser is neither).
 */
export function placeholdersIn(tokens: Token[]): string[] {
  const names = new Set<string>();
  fillTokens(tokens, (name) => {
    names.add(name);
    return { kind: "text", value: "" };
  });
  return [...names];
}
