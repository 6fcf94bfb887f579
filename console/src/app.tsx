import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, NavLink, Outlet, RouterProvider, useMatch } from "react-router";
import { languages } from "#shared/domain/languages";
import { ApiContext, createApi, useApi } from "./api.ts";
import type { Auth } from "./auth.ts";
import { Loading } from "./components.tsx";
import type { ConsoleConfig } from "./config.ts";
import { changeLanguage, currentLanguage } from "./i18n.ts";
import { AttendancePage } from "./pages/attendance.tsx";
import { EventEditorPage } from "./pages/event-editor.tsx";
import { EventsPage } from "./pages/events.tsx";
import { MailingPage } from "./pages/mailing.tsx";
import { MailingComposerPage } from "./pages/mailing-composer.tsx";
import { MailingsPage } from "./pages/mailings.tsx";
import { RegistrationsPage } from "./pages/registrations.tsx";
import { RemindersPage } from "./pages/reminders.tsx";
import { SignInPage } from "./pages/sign-in.tsx";

/** The charts (Chart.js) load with the dashboard, not with the sign-in page and the tables. */
const DashboardPage = lazy(() =>
  import("./pages/dashboard.tsx").then((module) => ({ default: module.DashboardPage })),
);

const lastEventKey = "convene.event";

/** The event the event links lead to: the one open, else the last one opened, else the first listed. */
function useCurrentEventId(): string | undefined {
  const match = useMatch({ path: "/events/:eventId", end: false });
  const eventId = match?.params.eventId === "new" ? undefined : match?.params.eventId;
  const api = useApi();
  const events = useQuery({ queryKey: ["events"], queryFn: () => api.listEvents(), enabled: !eventId });
  useEffect(() => {
    if (eventId) localStorage.setItem(lastEventKey, eventId);
  }, [eventId]);
  return eventId ?? localStorage.getItem(lastEventKey) ?? events.data?.events[0]?.id;
}

function Layout({ config, onSignOut }: { config: ConsoleConfig; onSignOut: () => void }) {
  const { t } = useTranslation();
  const eventId = useCurrentEventId();
  const base = eventId ? `/events/${encodeURIComponent(eventId)}` : undefined;
  const links = base
    ? [
        { to: base, label: t("nav.statistics"), end: true },
        { to: `${base}/registrations`, label: t("nav.registrations") },
        { to: `${base}/attendance`, label: t("nav.attendance") },
        { to: `${base}/mailings`, label: t("nav.mailings") },
        { to: `${base}/reminders`, label: t("nav.reminders") },
        { to: `${base}/settings`, label: t("nav.settings") },
      ]
    : [];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="top">
        <span className="brand">Convene</span>
        <nav aria-label={t("nav.label")}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t("nav.events")}
              </NavLink>
            </li>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end}>
                  {link.label}
                </NavLink>
              </li>
            ))}
            {config.auth === "local-token" && config.outboxUrl && (
              <li>
                <a href={config.outboxUrl} target="_blank" rel="noreferrer">
                  {t("nav.outbox")}
                  <span className="visually-hidden"> {t("common.newWindow")}</span>
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div className="top-tools">
          <label className="language">
            <span className="visually-hidden">{t("nav.language")}</span>
            <select
              value={currentLanguage()}
              onChange={(event) => void changeLanguage(event.target.value as never)}
            >
              {languages.map((language) => (
                <option key={language} value={language} lang={language}>
                  {t(`languages.${language}`, { lng: language })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={onSignOut}>
            {t("nav.signOut")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** The console once the organiser is known: routes, data cache and the API client. */
export function App({ config, auth }: { config: ConsoleConfig; auth: Auth }) {
  const [signedIn, setSignedIn] = useState<boolean | undefined>(undefined);
  const { i18n } = useTranslation();
  const refresh = useCallback(() => {
    void auth.token().then((token) => setSignedIn(Boolean(token)));
  }, [auth]);
  useEffect(refresh, [refresh]);
  // A refused token (expired, revoked, mistyped) leads back to the sign-in page, saying so.
  const [refused, setRefused] = useState(false);
  const signOut = useCallback(() => {
    setRefused(false);
    void auth.signOut().then(refresh);
  }, [auth, refresh]);
  const forget = useCallback(() => {
    setRefused(true);
    void auth.forget().then(refresh);
  }, [auth, refresh]);
  const api = useMemo(() => createApi(config.apiUrl, auth, forget), [config, auth, forget]);
  const queryClient = useMemo(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
    [],
  );
  const router = useMemo(
    () =>
      createBrowserRouter(
        [
          {
            element: <Layout config={config} onSignOut={signOut} />,
            children: [
              { index: true, element: <EventsPage /> },
              { path: "events/new", element: <EventEditorPage /> },
              {
                path: "events/:eventId",
                children: [
                  {
                    index: true,
                    element: (
                      <Suspense fallback={<Loading />}>
                        <DashboardPage />
                      </Suspense>
                    ),
                  },
                  { path: "registrations", element: <RegistrationsPage /> },
                  { path: "attendance", element: <AttendancePage /> },
                  { path: "mailings", element: <MailingsPage /> },
                  { path: "mailings/new", element: <MailingComposerPage /> },
                  { path: "mailings/:mailingId", element: <MailingPage /> },
                  { path: "mailings/:mailingId/edit", element: <MailingComposerPage /> },
                  { path: "reminders", element: <RemindersPage /> },
                  { path: "settings", element: <EventEditorPage /> },
                ],
              },
              { path: "*", element: <EventsPage /> },
            ],
          },
        ],
        { basename: import.meta.env.BASE_URL.replace(/\/$/, "") },
      ),
    [config, signOut],
  );
  if (signedIn === undefined) return null;
  if (!signedIn) {
    return <SignInPage auth={auth} refused={refused} onSignedIn={refresh} key={i18n.language} />;
  }
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ApiContext.Provider>
  );
}
