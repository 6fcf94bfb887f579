import * as z from "zod";
import { ForbiddenError } from "../domain/errors.ts";
import type { Registration } from "../domain/registration.ts";
import { stateForToken } from "../privacy/manage-link-state.ts";

/**
 * What a manage link (and the pages and forms behind it) carries: the registration in the path,
 * its signed token and the page language in the query. Shared by every route behind the link.
 */
export const manageLinkRequest = {
  params: z.object({ registrationId: z.string().min(1).max(100) }),
  query: z.object({ token: z.string().optional(), lang: z.string().optional() }),
};

/**
 * The registration a manage link points to, once its token is checked (`stateForToken`, the one
 * check of a manage link), for the actions that change it: one being erased or erased is no
 * registration to change, and gets the same 403 as a wrong token.
 */
export async function registrationForToken(
  registrationId: string,
  token: string | undefined,
): Promise<Registration> {
  const found = await stateForToken(registrationId, token);
  if (found.state !== "active")
    throw new ForbiddenError("this link is not valid; use the link in your confirmation email");
  return found.registration;
}
