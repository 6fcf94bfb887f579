import "./zod-jitless.ts";
import "./styles.css";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { authFor } from "./auth.ts";
import { loadConfig } from "./config.ts";
import { setupI18n } from "./i18n.ts";

/** Reads the deployment's config, completes a sign-in that brought the organiser back, then renders. */
async function start() {
  const root = createRoot(document.getElementById("root") as HTMLElement);
  await setupI18n();
  try {
    const config = await loadConfig();
    const auth = authFor(config);
    await auth.completeSignIn();
    root.render(<App config={config} auth={auth} />);
  } catch (error) {
    root.render(
      <main className="narrow">
        <h1>Convene</h1>
        <p role="alert" className="error">
          {error instanceof Error ? error.message : String(error)}
        </p>
      </main>,
    );
  }
}

void start();
