const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Makes any text safe in HTML content and in quoted attribute values alike, for pages and mails:
 * names, titles and answers are typed by people we do not control, and are shown back as text.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/** HTML built by `markup`, hence already escaped; only `markup` (and `renderedHtml`) create it. */
class Markup {
  constructor(readonly html: string) {}

  toString(): string {
    return this.html;
  }
}

export type { Markup };

/** What a template may interpolate: `false`, `null` and `undefined` render nothing, for `cond && markup\`…\``. */
export type Interpolation = string | number | Markup | false | null | undefined | readonly Interpolation[];

/**
 * Tag for the HTML templates of pages and mails: every interpolated value goes through `escapeHtml`
 * unless it is Markup from another `markup` template. Escaping is thus the default rather than
 * something each of the hundred interpolations must remember.
 */
export function markup(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  const html = values.reduce<string>(
    (built, value, index) => built + render(value) + (strings[index + 1] ?? ""),
    strings[0] ?? "",
  );
  return new Markup(html);
}

/**
 * HTML that a renderer of our own produced with every text escaped (the mailing's Markdown
 * renderer), let into a template as is. Never for anything a person typed.
 */
export const renderedHtml = (html: string): Markup => new Markup(html);

function render(value: Interpolation): string {
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === false || value === null || value === undefined) return "";
  return escapeHtml(String(value));
}
