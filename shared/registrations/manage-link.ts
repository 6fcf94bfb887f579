import { ForbiddenError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { verifyToken } from "../security/tokens.ts";
import { findRegistration } from "./registration-store.ts";

/**
 * The registration a manage link points to, once its token is checked. A wrong or altered token
 * and an unknown registration get the same 403, so links cannot be used to probe for ids.
 */
export async function registrationForToken(
  registrationId: string,
  token: string | undefined,
): Promise<Registration> {
  const valid = await verifyToken("manage-registration", registrationId, token);
  const registration = valid ? await findRegistration(registrationId) : undefined;
  if (!registration)
    throw new ForbiddenError("this link is not valid; use the link in your confirmation email");
  return registration;
}
