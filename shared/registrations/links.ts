import { urlTo } from "../paths.ts";
import { signToken } from "../security/tokens.ts";

/** The manage link of a registration: view it, cancel it. The token is bound to this registration. */
export async function manageUrl(publicUrl: string, registrationId: string): Promise<string> {
  const token = await signToken("manage-registration", registrationId);
  return urlTo(publicUrl, "manageRegistration", { registrationId }, { token });
}
