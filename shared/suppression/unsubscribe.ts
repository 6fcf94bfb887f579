import { ForbiddenError } from "../domain/errors.ts";
import type { Language } from "../domain/languages.ts";
import { normalizeEmail } from "../domain/registration.ts";
import { urlTo } from "../paths.ts";
import { signToken, verifyToken } from "../security/tokens.ts";
import type { Suppression } from "./suppression.ts";
import { suppress, suppressionOf } from "./suppression-store.ts";
import { formatUnsubscribeToken, parseUnsubscribeToken } from "./unsubscribe-token.ts";

/**
 * The unsubscribe link of an address, for the `List-Unsubscribe` header (RFC 8058) and the link
 * in a mailing's body: `<publicUrl>/unsubscribe?token=…`. The token carries the normalized address
 * and its MAC, so the link works without a lookup and an altered one is refused. `language` picks
 * the page's language (else the browser's).
 */
export async function unsubscribeUrl(publicUrl: string, email: string, language?: Language): Promise<string> {
  const address = normalizeEmail(email);
  const token = formatUnsubscribeToken(address, await signToken("unsubscribe", address));
  return urlTo(publicUrl, "unsubscribe", {}, { token, lang: language });
}

/**
 * The address an unsubscribe token was signed for. A missing, malformed or altered token (or one
 * signed for another purpose) is a 403, the same for each, so links cannot be used to probe.
 */
export async function addressOfToken(token: string | undefined): Promise<string> {
  const parsed = token === undefined ? undefined : parseUnsubscribeToken(token);
  if (!parsed || !(await verifyToken("unsubscribe", parsed.email, parsed.mac))) {
    throw new ForbiddenError("this unsubscribe link is not valid; use the link in your latest email");
  }
  return parsed.email;
}

/**
 * What the unsubscribe page shows: the address, and whether it already gets no mailings. Reads
 * only: following the link (mail scanners do) never unsubscribes anyone.
 */
export async function unsubscribeStatus(
  token: string | undefined,
): Promise<{ email: string; suppression: Suppression | undefined }> {
  const email = await addressOfToken(token);
  return { email, suppression: await suppressionOf(email) };
}

/**
 * One-click unsubscribe (RFC 8058): checks the token and puts the address on the suppression list
 * as `unsubscribed`, at once. Doing it twice changes nothing, and an address that bounced or
 * complained keeps that stronger reason. Returns the address.
 */
export async function unsubscribe(token: string | undefined, now = new Date()): Promise<string> {
  const email = await addressOfToken(token);
  await suppress(email, "unsubscribed", now, "one-click unsubscribe link");
  return email;
}
