import { ForbiddenError } from "../domain/errors.ts";
import { verifyToken } from "../security/tokens.ts";
import { type RegistrationState, registrationState } from "./privacy-store.ts";

/**
 * The registration a manage link points to, whatever became of it: a link to an erased one still
 * resolves (to say the data was deleted). A wrong token and an unknown id get the same 403, so
 * links cannot be used to probe for ids. The one check of a manage link's token: the pages read
 * it here, the actions through `registrationForToken` (`shared/registrations/manage-link.ts`).
 */
export async function stateForToken(registrationId: string, token: string | undefined) {
  const valid = await verifyToken("manage-registration", registrationId, token);
  const found: RegistrationState = valid ? await registrationState(registrationId) : { state: "absent" };
  if (found.state === "absent")
    throw new ForbiddenError("this link is not valid; use the link in your confirmation email");
  return found;
}
