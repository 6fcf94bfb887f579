import { sessionsToSwitchTo } from "../domain/registration-form.ts";
import { urlTo } from "../paths.ts";
import { signToken } from "../security/tokens.ts";

/** The manage link of a registration: view it, cancel it. The token is bound to this registration. */
export async function manageUrl(publicUrl: string, registrationId: string): Promise<string> {
  const token = await signToken("manage-registration", registrationId);
  return urlTo(publicUrl, "manageRegistration", { registrationId }, { token });
}

/**
 * Where a registrant of a session the organisers cancelled goes to choose another: their own
 * page's switch (`manage`: their manage link), when it offers a session (`sessionsToSwitchTo`);
 * else nothing. Not the form, which would answer "already registered": the registration is theirs.
 */
export function switchUrlOf(
  event: Parameters<typeof sessionsToSwitchTo>[0],
  fromSessionId: string,
  manage: string,
  now: Date,
): string | undefined {
  return sessionsToSwitchTo(event, fromSessionId, now).length > 0 ? `${manage}#switch-title` : undefined;
}
