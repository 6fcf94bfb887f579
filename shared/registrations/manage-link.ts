import * as z from "zod";
import { ForbiddenError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { verifyToken } from "../security/tokens.ts";
import { findRegistration } from "./registration-store.ts";

/**
 * What a manage link (and the pages and forms behind it) carries: the registration in the path,
 * its signed token and the page language in the query. Shared by every route behind the link.
 */
export const manageLinkRequest = {
  params: z.object({ registrationId: z.string().min(1).max(100) }),
  query: z.object({ token: z.string().optional(), lang: z.string().optional() }),
};

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
