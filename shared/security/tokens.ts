import { createHmac, timingSafeEqual } from "node:crypto";
import { signingKey } from "./signing-key-store.ts";

/** What a token lets its holder do; a token for one purpose is worthless for another. */
export type TokenPurpose = "manage-registration" | "unsubscribe" | "form-started";

const mac = (key: Buffer, purpose: TokenPurpose, subject: string) =>
  createHmac("sha256", key).update(`${purpose}\n${subject}`).digest("base64url");

/** A token bound to `subject` (a registration id, an email) and to its purpose. */
export async function signToken(purpose: TokenPurpose, subject: string): Promise<string> {
  return mac((await signingKey(true)) as Buffer, purpose, subject);
}

/**
 * Whether `token` is the token `signToken(purpose, subject)` gives, in its one spelling. The
 * comparison is on the text, not on decoded bytes: base64 decoders accept padding, standard
 * `+/`, stray characters and non-zero trailing bits, so comparing decoded bytes would accept
 * several spellings of one token ("a token altered in any way gets 403"). Same length first
 * (an HMAC's length is public), then a constant-time comparison of the bytes.
 */
export async function verifyToken(
  purpose: TokenPurpose,
  subject: string,
  token: string | undefined,
): Promise<boolean> {
  // Checking needs only read access: with no key yet, nothing was ever signed.
  const key = token ? await signingKey(false) : undefined;
  if (!token || !key) return false;
  return sameText(token, mac(key, purpose, subject));
}

/** Constant-time equality of two strings (for equal byte lengths; the length is not a secret). */
export function sameText(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given, "utf8");
  const expectedBytes = Buffer.from(expected, "utf8");
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}
