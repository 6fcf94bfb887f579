/**
 * The format of unsubscribe tokens: `base64url(address).mac`. The address travels in the token,
 * so an unsubscribe needs no lookup (and works for any address Convene mailed, registered or
 * not); the MAC (`signToken("unsubscribe", address)`) is what makes it unforgeable. Kept apart from
 * the signing so the format can be tested without the key.
 */
export function formatUnsubscribeToken(normalizedEmail: string, mac: string): string {
  return `${Buffer.from(normalizedEmail, "utf8").toString("base64url")}.${mac}`;
}

/**
 * The address and MAC a token carries, or undefined when it is not one. The address part must be
 * canonical base64url (decoding is lenient: two spellings could otherwise carry one address).
 */
export function parseUnsubscribeToken(token: string): { email: string; mac: string } | undefined {
  const [encoded, mac, ...rest] = token.split(".");
  if (!encoded || !mac || rest.length > 0 || !/^[\w-]+$/.test(encoded) || !/^[\w-]+$/.test(mac)) return;
  const bytes = Buffer.from(encoded, "base64url");
  if (bytes.toString("base64url") !== encoded) return;
  const email = bytes.toString("utf8");
  if (!email.includes("@") || /[\s\p{Cc}]/u.test(email)) return;
  return { email, mac };
}
