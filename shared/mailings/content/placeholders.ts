/**
 * The values a mailing may mention, per recipient, besides its own links (`{{links.<key>}}`). All
 * plain text: the renderers escape them for their output, so a name can never become markup.
 */
export const mailingPlaceholders = [
  "firstName",
  "lastName",
  "eventTitle",
  "sessionDate",
  "organisation",
] as const;
export type MailingPlaceholder = (typeof mailingPlaceholders)[number];

/** `{{links.recording}}` names the mailing's link `recording`. */
export const linkPlaceholderPrefix = "links.";

/** `{{name}}`; spaces inside the braces are tolerated because people type `{{ firstName }}` too. */
const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A piece of a text: literal text, or the name of a placeholder found in it. */
export type TextPart = string | { placeholder: string };

/** Cuts a text into literal pieces and placeholders, the one reading of the `{{…}}` syntax. */
export function splitPlaceholders(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholderPattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ placeholder: match[1] ?? "" });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * What a placeholder stands for. A URL (a link of the mailing) is kept whole in a link's
 * destination and becomes a link of its own in running text; plain text is percent-encoded there.
 */
export interface PlaceholderValue {
  kind: "text" | "url";
  value: string;
}

/** Answers a placeholder's name with its value for one recipient. */
export type Resolve = (placeholder: string) => PlaceholderValue;

export interface PlaceholderValues {
  fields: Record<MailingPlaceholder, string>;
  links: Record<string, string>;
}

const isField = (name: string): name is MailingPlaceholder =>
  (mailingPlaceholders as readonly string[]).includes(name);

/**
 * The resolver of one recipient's values. An unknown name throws: validation refuses them, so one
 * here means an unvalidated mailing, which must not reach thousands of inboxes with `{{…}}` in it.
 */
export function resolverOf(values: PlaceholderValues): Resolve {
  return (name) => {
    if (isField(name)) return { kind: "text", value: values.fields[name] };
    const link = name.startsWith(linkPlaceholderPrefix)
      ? values.links[name.slice(linkPlaceholderPrefix.length)]
      : undefined;
    if (link !== undefined) return { kind: "url", value: link };
    throw new Error(`Unknown placeholder {{${name}}}: validate mailings with mailingInputSchema first`);
  };
}

/** Every placeholder a mailing with these links may use, as written, e.g. `{{links.slides}}`. */
export function knownPlaceholders(linkKeys: readonly string[]): string[] {
  return [...mailingPlaceholders, ...linkKeys.map((key) => linkPlaceholderPrefix + key)].map(
    (name) => `{{${name}}}`,
  );
}

/**
 * Why a placeholder cannot be used with these links, in words an organiser can act on (the
 * placeholder named, the known ones listed); undefined when it can.
 */
export function placeholderProblem(name: string, linkKeys: readonly string[]): string | undefined {
  if (isField(name)) return undefined;
  const known = knownPlaceholders(linkKeys).join(", ");
  if (!name.startsWith(linkPlaceholderPrefix))
    return `unknown placeholder {{${name}}}; known placeholders: ${known}`;
  const key = name.slice(linkPlaceholderPrefix.length);
  if (linkKeys.includes(key)) return undefined;
  return `{{${name}}} names no link: add "${key}" to "links", or use a known placeholder: ${known}`;
}

/** Fills the placeholders of a text that has no markup (a subject): values go in as they are. */
export function fillPlainText(text: string, resolve: Resolve): string {
  return splitPlaceholders(text)
    .map((part) => (typeof part === "string" ? part : resolve(part.placeholder).value))
    .join("");
}
