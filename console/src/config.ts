import { z } from "zod";

/**
 * How this deployment of the console signs in and where its API is, read from the `config.json`
 * served next to the app: the same build runs locally (the admin token of `npm start`) and on AWS
 * (Cognito's managed login), and a new deployment needs a new file, not a new build.
 */
export const consoleConfigSchema = z.discriminatedUnion("auth", [
  z.object({
    auth: z.literal("local-token"),
    /** The API's base URL; empty for the same origin as the console. */
    apiUrl: z.string(),
    /** The page of the local SES, where every mail sent locally can be read. */
    outboxUrl: z.url().optional(),
  }),
  z.object({
    auth: z.literal("oidc"),
    apiUrl: z.url(),
    /** The Cognito user pool's issuer, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc. */
    authority: z.url(),
    clientId: z.string().min(1),
    redirectUri: z.url(),
    postLogoutRedirectUri: z.url(),
    /** Cognito's managed login domain, for its sign-out endpoint (Cognito has no end_session_endpoint). */
    logoutUrl: z.url().optional(),
    scope: z.string().default("openid email profile"),
  }),
]);
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: "no-cache" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return consoleConfigSchema.parse(await response.json());
}
