const linkProtocols: ReadonlySet<string> = new Set(["http:", "https:", "mailto:"]);

/**
 * The destination a link of a mailing may have: web and mail addresses only, so that no
 * `javascript:`, `data:` or `file:` link ever reaches an inbox, whatever an organiser typed. The URL
 * parser decides (it ignores case, tabs and line breaks in the scheme the way browsers do); a
 * relative or unparsable destination is no link either. Returns the normalized URL, ASCII only.
 */
export function safeLinkUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return linkProtocols.has(parsed.protocol) ? parsed.href : undefined;
}

/**
 * The unsubscribe and manage URLs are ours; anything but a web URL there is a bug, so it throws.
 * Normalized, so that the header and the visible link carry the same ASCII string.
 */
export function requireWebUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new Error(`Refusing a non-web link in a mailing: ${parsed.protocol}`);
  return parsed.href;
}

/** How a link's destination reads in plain text: a mail address without its `mailto:`. */
export function readableUrl(url: string): string {
  if (!url.startsWith("mailto:")) return url;
  const address = url.slice("mailto:".length);
  try {
    return decodeURIComponent(address);
  } catch {
    return address;
  }
}
