import type { TableKey } from "../aws/table.ts";

/**
 * The SES message tag that names a mail's delivery record: SES publishes a message's tags with
 * its `Email Sent` event, so the event alone says which record to mark as sent (see
 * `recordSendEvents`), even when the process that sent it died before it could.
 */
export const deliveryTagName = "convene-delivery";

/**
 * SES tag values allow ASCII letters, digits, `_` and `-` (v2 also `.` and `@`; the local SES
 * holds to v1's stricter set, and so does this encoding), at most 255 characters.
 */
const maxTagLength = 255;
const literal = /[A-Za-z0-9-]/;
/** `__` cannot occur inside an encoded part: there, `_` is always followed by two hex digits. */
const separator = "__";

/** Every character outside `[A-Za-z0-9-]` as `_` and its UTF-8 bytes in hex (`#` → `_23`). */
function encodePart(text: string): string {
  let out = "";
  for (const char of text) {
    if (literal.test(char)) out += char;
    else
      for (const byte of Buffer.from(char, "utf8"))
        out += `_${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The inverse of {@link encodePart}; throws on anything `encodePart` cannot have written. */
function decodePart(text: string): string {
  if (!/^(?:[A-Za-z0-9-]|_[0-9A-F]{2})*$/.test(text)) throw new Error(`not an escaped key part: ${text}`);
  // Throws a URIError on bytes that are no UTF-8.
  return decodeURIComponent(text.replace(/_([0-9A-F]{2})/g, "%$1"));
}

/**
 * The tag value of a delivery record's key: readable (`REG_23…__MAIL_23confirmation_231`),
 * tag-safe, and decoded back exactly by {@link deliveryKeyOfTag}.
 */
export function deliveryTag(key: TableKey): { name: string; value: string } {
  const value = `${encodePart(key.pk)}${separator}${encodePart(key.sk)}`;
  if (value.length > maxTagLength) {
    throw new Error(`the delivery key ${key.pk} ${key.sk} is too long for an SES tag (${value.length})`);
  }
  return { name: deliveryTagName, value };
}

/** The delivery record a tag value names; undefined for a value that is no encoded key. */
export function deliveryKeyOfTag(value: string): TableKey | undefined {
  const parts = value.split(separator);
  if (parts.length !== 2) return undefined;
  try {
    const [pk = "", sk = ""] = parts.map(decodePart);
    return pk && sk ? { pk, sk } : undefined;
  } catch {
    return undefined;
  }
}
