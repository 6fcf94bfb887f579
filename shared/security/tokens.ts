import { createHmac, timingSafeEqual } from "node:crypto";
import { signingKey } from "./signing-key-store.ts";

/** What a token lets its holder do; a token for one purpose is worthless for another. */
export type TokenPurpose = "manage-registration" | "unsubscribe";

const mac = (key: Buffer, purpose: TokenPurpose, subject: string) =>
  createHmac("sha256", key).update(`${purpose}\n${subject}`).digest();

/** A token bound to `subject` (a registration id, an email) and to its purpose. */
export async function signToken(purpose: TokenPurpose, subject: string): Promise<string> {
  return mac((await signingKey(true)) as Buffer, purpose, subject).toString("base64url");
}

export async function verifyToken(
  purpose: TokenPurpose,
  subject: string,
  token: string | undefined,
): Promise<boolean> {
  // Checking needs only read access: with no key yet, nothing was ever signed.
  const key = token ? await signingKey(false) : undefined;
  if (!token || !key) return false;
  const given = Buffer.from(token, "base64url");
  const expected = mac(key, purpose, subject);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
