import { ValidationError } from "../domain/errors.ts";
import { signToken, verifyToken } from "../security/tokens.ts";
import { honeypotField, stampField } from "./form-fields.ts";

/**
 * Two traps for scripts on the HTML registration form, with no JavaScript and no third party:
 * - a honeypot: a text field (`website`) that people never see (hidden by CSS, out of the tab
 *   order, `autocomplete=off`) and form-filling scripts fill in;
 * - a minimum fill time: the form carries the time it was served, signed (`formStartedAt`), and a
 *   post that comes back sooner than a person could fill it in is refused. Signed with the
 *   tokens' key, so it cannot be forged to look older.
 * A form post without the stamp (a script posting form-encoded data without loading the form) is
 * let through here and meets the rate limits like any JSON post.
 */
export const minimumFillMs = 3_000;

export async function formStamp(now = new Date()): Promise<string> {
  const at = String(now.getTime());
  return `${at}.${await signToken("form-started", at)}`;
}

/** Throws a `ValidationError` when the honeypot is filled, or the stamp is forged or too recent. */
export async function checkFormTraps(fields: Record<string, unknown>, now = new Date()): Promise<void> {
  const honeypot = fields[honeypotField];
  if (honeypot !== undefined && honeypot !== "") {
    throw new ValidationError([{ path: honeypotField, message: "leave this field empty" }]);
  }
  const stamp = fields[stampField];
  if (stamp === undefined) return;
  const [at = "", mac, ...rest] = typeof stamp === "string" ? stamp.split(".") : [];
  const valid = rest.length === 0 && /^\d{1,15}$/.test(at) && (await verifyToken("form-started", at, mac));
  if (!valid)
    throw new ValidationError([{ path: stampField, message: "reload the form and fill it in again" }]);
  if (now.getTime() - Number(at) < minimumFillMs) {
    throw new ValidationError([
      { path: stampField, message: "the form was sent too quickly; please check it and send it again" },
    ]);
  }
}
