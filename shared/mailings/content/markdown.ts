import { Marked, type MarkedToken, type Token, type Tokens } from "marked";
import { escapeHtml } from "../../html.ts";
import { readableUrl, safeLinkUrl } from "./urls.ts";

/**
 * Inline styles only, in the palette of the transactional mails: many clients drop `<style>`.
 * The same for both directions (an Arabic mail is `dir="rtl"`): lists padded on both sides and
 * cells aligned to the start, as logical properties such as `padding-inline-start` are not
 * understood by every mail client.
 */
const styles = {
  paragraph: "margin:0 0 16px;",
  headings: [
    "margin:0 0 16px;font-size:22px;line-height:1.3;",
    "margin:24px 0 12px;font-size:18px;line-height:1.3;",
    "margin:16px 0 8px;font-size:16px;line-height:1.3;",
  ],
  list: "margin:0 0 16px;padding:0 24px;",
  listItem: "margin:0 0 4px;",
  blockquote: "margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:#57606a;",
  code: "font-family:Consolas,Menlo,monospace;font-size:14px;background:#f4f5f7;border-radius:4px;padding:1px 4px;",
  pre: "margin:0 0 16px;padding:12px;background:#f4f5f7;border-radius:6px;white-space:pre-wrap;font-family:Consolas,Menlo,monospace;font-size:14px;",
  literal: "margin:0 0 16px;white-space:pre-wrap;",
  hr: "border:0;border-top:1px solid #d0d7de;margin:24px 0;",
  table: "border-collapse:collapse;margin:0 0 16px;",
  cell: "border:1px solid #d0d7de;padding:6px 10px;text-align:start;",
  link: "color:#0b57d0;",
  url: "color:#0b57d0;word-break:break-all;",
};

const headingStyle = (depth: number) => styles.headings[Math.min(depth, 3) - 1] ?? styles.paragraph;

function anchor(href: string, label: string, style: string, title?: string | null): string {
  const titleAttribute = title ? ` title="${escapeHtml(title)}"` : "";
  return `<a href="${escapeHtml(href)}"${titleAttribute} style="${style}">${label}</a>`;
}

/**
 * Organisers write Markdown (GFM, a line break where they pressed Enter, as in a comment box on
 * GitHub). Everything that is text is escaped here, marked's own entity pass-through included,
 * so an `&` always reads as `&`. Raw HTML is shown as the text it is, not rendered and not dropped:
 * a sanitizer would be one more dependency to trust, and the organiser sees the tag in the preview.
 * Images become links to them: remote images track readers and most clients block them anyway.
 */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    text(token) {
      return "tokens" in token && token.tokens
        ? this.parser.parseInline(token.tokens)
        : escapeHtml(token.text);
    },
    html({ text, block }) {
      return block ? `<p style="${styles.literal}">${escapeHtml(text.trim())}</p>\n` : escapeHtml(text);
    },
    paragraph({ tokens }) {
      return `<p style="${styles.paragraph}">${this.parser.parseInline(tokens)}</p>\n`;
    },
    heading({ tokens, depth }) {
      const level = Math.min(depth, 6);
      return `<h${level} style="${headingStyle(depth)}">${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    list({ ordered, start, items }) {
      const tag = ordered ? "ol" : "ul";
      const startAttribute = ordered && start !== "" && start !== 1 ? ` start="${start}"` : "";
      const body = items.map((item) => this.listitem(item)).join("");
      return `<${tag}${startAttribute} style="${styles.list}">\n${body}</${tag}>\n`;
    },
    listitem({ tokens }) {
      return `<li style="${styles.listItem}">${this.parser.parse(tokens)}</li>\n`;
    },
    checkbox({ checked }) {
      return checked ? "☑ " : "☐ ";
    },
    blockquote({ tokens }) {
      return `<blockquote style="${styles.blockquote}">\n${this.parser.parse(tokens)}</blockquote>\n`;
    },
    code({ text }) {
      return `<pre style="${styles.pre}"><code>${escapeHtml(text)}</code></pre>\n`;
    },
    codespan({ text }) {
      return `<code style="${styles.code}">${escapeHtml(text)}</code>`;
    },
    hr() {
      return `<hr style="${styles.hr}">\n`;
    },
    table({ header, rows }) {
      const row = (cells: Tokens.TableCell[]) =>
        `<tr>${cells.map((cell) => this.tablecell(cell)).join("")}</tr>\n`;
      return `<table style="${styles.table}">\n<thead>\n${row(header)}</thead>\n<tbody>\n${rows.map(row).join("")}</tbody>\n</table>\n`;
    },
    tablecell({ tokens, header, align }) {
      const tag = header ? "th" : "td";
      const style = styles.cell + (align ? `text-align:${align};` : "");
      return `<${tag} style="${style}">${this.parser.parseInline(tokens)}</${tag}>`;
    },
    link({ href, title, text, tokens, autolink }) {
      const label = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
      const url = safeLinkUrl(href);
      if (url === undefined) return label;
      return anchor(url, label, autolink ? styles.url : styles.link, title);
    },
    image({ href, title, text }) {
      const url = safeLinkUrl(href);
      if (url === undefined) return escapeHtml(text);
      return anchor(url, escapeHtml(text || readableUrl(url)), styles.url, title);
    },
  },
});

/** Parses the organiser's Markdown once; its tokens are then filled for each recipient. */
export const parseMarkdown = (source: string): Token[] => markdown.lexer(source);

/** The HTML of filled tokens, for the body of the HTML part. */
export const markdownToHtml = (tokens: Token[]): string => markdown.parser(tokens);

/** No marked extension is registered, so every token the lexer makes is one of marked's own. */
export const ownToken = (token: Token) => token as MarkedToken;
