import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { pickText } from "#shared/domain/languages";
import { type EventSummary, useApi } from "../api.ts";
import { ErrorMessage, Field, Loading, Page } from "../components.tsx";
import { formatDateTime } from "../format.ts";
import { currentLanguage } from "../i18n.ts";

/** The events, upcoming first then past (the API's order), in pages. */
export function EventsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const events = useInfiniteQuery({
    queryKey: ["events", "pages"],
    queryFn: ({ pageParam }) => api.listEvents(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor,
  });
  const all = events.data?.pages.flatMap((page) => page.events) ?? [];
  const now = Date.now();
  const isPast = (event: EventSummary) =>
    event.sessions.every(
      (session) => new Date(session.startsAt).getTime() + session.durationMinutes * 60_000 < now,
    );
  const upcoming = all.filter((event) => !isPast(event));
  const past = all.filter(isPast);
  return (
    <Page
      title={t("events.title")}
      actions={
        <Link className="button primary" to="/events/new">
          {t("events.new")}
        </Link>
      }
    >
      {events.isPending && <Loading />}
      <ErrorMessage error={events.error} />
      {events.isSuccess && all.length === 0 && <p>{t("events.empty")}</p>}
      {upcoming.length > 0 && <EventList heading={t("events.upcoming")} events={upcoming} />}
      {past.length > 0 && <EventList heading={t("events.past")} events={past} />}
      {events.hasNextPage && (
        <button
          type="button"
          onClick={() => void events.fetchNextPage()}
          disabled={events.isFetchingNextPage}
        >
          {t("common.more")}
        </button>
      )}
      <OpenEvent />
    </Page>
  );
}

function EventList({ heading, events }: { heading: string; events: EventSummary[] }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      <ul className="cards">
        {events.map((event) => (
          <li key={event.id} className="card">
            <h3>
              <Link to={`/events/${encodeURIComponent(event.id)}`}>
                {pickText(event.title, currentLanguage())}
              </Link>
            </h3>
            <p className="muted">{event.id}</p>
            <ul className="plain">
              {event.sessions.map((session) => (
                <li key={session.id}>
                  {t("events.session", { id: session.id, language: session.language })}:{" "}
                  {formatDateTime(session.startsAt, session.timezone)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Straight to an event whose id is known (from a registration link, say). */
function OpenEvent() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [id, setId] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim()) void navigate(`/events/${encodeURIComponent(id.trim())}`);
  };
  return (
    <form onSubmit={submit} className="inline-form">
      <Field label={t("events.openById")} value={id} onChange={(event) => setId(event.target.value)} />
      <button type="submit">{t("events.open")}</button>
    </form>
  );
}
