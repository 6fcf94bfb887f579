import { UserManager, WebStorageStateStore } from "oidc-client-ts";
import type { ConsoleConfig } from "./config.ts";

/**
 * Who the organiser is to the API: a bearer token, and how to sign out. Locally it is the admin
 * token of `npm start`; on AWS the ID token of Cognito's managed login (authorization code with
 * PKCE, by oidc-client-ts), renewed silently before it expires.
 */
export interface Auth {
  kind: ConsoleConfig["auth"];
  /** The current token, or undefined when signed out. */
  token(): Promise<string | undefined>;
  /** Starts signing in: a token typed in (local) or a redirect to the managed login (AWS). */
  signIn(token?: string): Promise<void>;
  signOut(): Promise<void>;
  /** Drops a token the API refused (expired, revoked), without leaving the page. */
  forget(): Promise<void>;
  /** Called on load: reads what a sign-in link or a login redirect brought back. */
  completeSignIn(): Promise<void>;
}

const tokenKey = "convene.token";

/**
 * The local sign-in: the token lives in this tab's session storage only (closing the tab signs
 * out). A `#token=` fragment signs in and is removed from the address bar at once, so that the
 * token is neither in the history nor in a bookmark or a screenshot of the page.
 */
export function localTokenAuth(): Auth {
  return {
    kind: "local-token",
    token: async () => sessionStorage.getItem(tokenKey) ?? undefined,
    async signIn(token) {
      if (token) sessionStorage.setItem(tokenKey, token.trim());
    },
    async signOut() {
      sessionStorage.removeItem(tokenKey);
    },
    async forget() {
      sessionStorage.removeItem(tokenKey);
    },
    async completeSignIn() {
      const fragment = new URLSearchParams(window.location.hash.slice(1));
      const token = fragment.get("token");
      if (token === null) return;
      sessionStorage.setItem(tokenKey, token);
      fragment.delete("token");
      const rest = fragment.toString();
      window.history.replaceState(
        window.history.state,
        "",
        `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ""}`,
      );
    },
  };
}

/** Cognito's managed login, with the tokens in session storage and renewed before they expire. */
export function oidcAuth(config: Extract<ConsoleConfig, { auth: "oidc" }>): Auth {
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: config.postLogoutRedirectUri,
    response_type: "code",
    scope: config.scope,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  return {
    kind: "oidc",
    async token() {
      const user = await manager.getUser();
      if (!user || user.expired) return undefined;
      // API Gateway's JWT authorizer checks the audience, which Cognito puts in the ID token.
      return user.id_token ?? user.access_token;
    },
    async signIn() {
      await manager.signinRedirect({ state: window.location.pathname });
    },
    async signOut() {
      await manager.removeUser();
      if (config.logoutUrl) {
        // Cognito's own logout endpoint, since its discovery document has no end_session_endpoint.
        const url = new URL(config.logoutUrl);
        url.searchParams.set("client_id", config.clientId);
        url.searchParams.set("logout_uri", config.postLogoutRedirectUri);
        window.location.assign(url.href);
      }
    },
    async forget() {
      await manager.removeUser();
    },
    async completeSignIn() {
      const params = new URLSearchParams(window.location.search);
      if (!params.has("code") || !params.has("state")) return;
      const user = await manager.signinRedirectCallback();
      const back = typeof user.state === "string" ? user.state : import.meta.env.BASE_URL;
      window.history.replaceState(null, "", back);
    },
  };
}

export const authFor = (config: ConsoleConfig): Auth =>
  config.auth === "oidc" ? oidcAuth(config) : localTokenAuth();
