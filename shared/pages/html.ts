import { escapeHtml } from "../html.ts";

export { escapeHtml };

/** HTML built by `markup`, hence already escaped; only `markup` creates it. */
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
 * Tag for the pages' HTML templates: every interpolated value goes through `escapeHtml` unless it
 * is Markup from another `markup` template. Escaping is thus the default rather than something
 * each of the hundred interpolations must remember.
 */
export function markup(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  const html = values.reduce<string>(
    (built, value, index) => built + render(value) + (strings[index + 1] ?? ""),
    strings[0] ?? "",
  );
  return new Markup(html);
}

function render(value: Interpolation): string {
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === false || value === null || value === undefined) return "";
  return escapeHtml(String(value));
}
