import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Auth } from "../auth.ts";
import { Field, Page } from "../components.tsx";

/** Locally: the admin token of `npm start` (its sign-in link fills it in). On AWS: Cognito's login. */
export function SignInPage({
  auth,
  refused,
  onSignedIn,
}: {
  auth: Auth;
  /** The API refused the last token: said before anything else. */
  refused: boolean;
  onSignedIn: () => void;
}) {
  const { t } = useTranslation();
  const [token, setToken] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void auth.signIn(token).then(onSignedIn);
  };
  return (
    <main className="narrow" id="main">
      <Page title={t("signIn.title")}>
        {refused && (
          <p role="alert" className="error">
            {t("signIn.refused")}
          </p>
        )}
        {auth.kind === "local-token" ? (
          <form onSubmit={submit} className="stack">
            <p>{t("signIn.localHint")}</p>
            <Field
              label={t("signIn.token")}
              type="password"
              autoComplete="off"
              required
              value={token}
              onChange={(event) => setToken(event.target.value)}
            />
            <div>
              <button type="submit" className="primary">
                {t("signIn.submit")}
              </button>
            </div>
          </form>
        ) : (
          <div className="stack">
            <p>{t("signIn.oidcHint")}</p>
            <div>
              <button type="button" className="primary" onClick={() => void auth.signIn()}>
                {t("signIn.submit")}
              </button>
            </div>
          </div>
        )}
      </Page>
    </main>
  );
}
