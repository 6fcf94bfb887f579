import { useQuery } from "@tanstack/react-query";
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { Bar, Line } from "react-chartjs-2";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { pickText } from "#shared/domain/languages";
import { answerText } from "#shared/domain/registration-form";
import { type Api, type SessionStats, useApi } from "../api.ts";
import { ErrorMessage, Loading, Page, TableScroller } from "../components.tsx";
import { countryName, formatDateTime, formatNumber, formatPercent } from "../format.ts";
import { currentLanguage, currentLocale } from "../i18n.ts";

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Filler, Tooltip, Legend);

/** Colours with at least 3:1 contrast against white, as WCAG asks of graphical objects. */
const colours = { registered: "#1f5fa8", attended: "#2e7d32" };

async function allCreatedAt(api: Api, eventId: string): Promise<string[]> {
  const dates: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listRegistrations(eventId, {}, cursor, 1000);
    dates.push(...page.registrations.map((registration) => registration.createdAt));
    cursor = page.nextCursor;
  } while (cursor);
  return dates;
}

/** Registrations per day and their running total, oldest first. */
function overTime(dates: string[]): { day: string; count: number; total: number }[] {
  const perDay = new Map<string, number>();
  for (const date of [...dates].sort())
    perDay.set(date.slice(0, 10), (perDay.get(date.slice(0, 10)) ?? 0) + 1);
  let total = 0;
  return [...perDay].map(([day, count]) => {
    total += count;
    return { day, count, total };
  });
}

type Breakdown = SessionStats["byCountry"];

function merge(breakdowns: Breakdown[]): [string, { registered: number; attended: number }][] {
  const merged = new Map<string, { registered: number; attended: number }>();
  for (const breakdown of breakdowns) {
    for (const [key, value] of Object.entries(breakdown)) {
      const entry = merged.get(key) ?? { registered: 0, attended: 0 };
      merged.set(key, {
        registered: entry.registered + value.registered,
        attended: entry.attended + value.attended,
      });
    }
  }
  return [...merged].sort((a, b) => b[1].registered - a[1].registered);
}

/** "How is it going?" in one glance: per session cards, registrations over time, who registered. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { eventId = "" } = useParams();
  const api = useApi();
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const stats = useQuery({ queryKey: ["stats", eventId], queryFn: () => api.stats(eventId) });
  const created = useQuery({ queryKey: ["created", eventId], queryFn: () => allCreatedAt(api, eventId) });
  const title = event.data ? pickText(event.data.title, currentLanguage()) : eventId;
  const sessions = stats.data?.sessions ?? [];
  const attendanceKnown = sessions.some((session) => session.attended !== null);
  return (
    <Page title={t("dashboard.title", { event: title })}>
      {(stats.isPending || event.isPending) && <Loading />}
      <ErrorMessage error={stats.error ?? event.error} />
      <ul className="cards" aria-label={t("dashboard.sessions")}>
        {sessions.map((session) => {
          const spec = event.data?.sessions.find((candidate) => candidate.id === session.sessionId);
          const seatsLeft =
            spec?.capacity === undefined ? undefined : Math.max(0, spec.capacity - session.confirmed);
          return (
            <li key={session.sessionId} className="card">
              <h2>{t("dashboard.session", { id: session.sessionId })}</h2>
              {spec && <p className="muted">{formatDateTime(spec.startsAt, spec.timezone)}</p>}
              <dl className="figures">
                <Figure label={t("stats.registered")} value={session.registered} />
                <Figure label={t("stats.confirmed")} value={session.confirmed} />
                <Figure label={t("stats.waitlisted")} value={session.waitlisted} />
                <Figure label={t("stats.cancelled")} value={session.cancelled} />
                {/* Registered counts them: shown when there are some, so the figures add up. */}
                {session.erased > 0 && <Figure label={t("stats.erased")} value={session.erased} />}
                <Figure
                  label={t("stats.seatsLeft")}
                  value={seatsLeft === undefined ? t("stats.noLimit") : formatNumber(seatsLeft)}
                />
                {session.attended !== null && <Figure label={t("stats.attended")} value={session.attended} />}
                {session.absent !== null && <Figure label={t("stats.absent")} value={session.absent} />}
                {session.attendanceRate !== null && (
                  <Figure label={t("stats.rate")} value={formatPercent(session.attendanceRate)} />
                )}
              </dl>
            </li>
          );
        })}
      </ul>
      {stats.isSuccess && (
        <>
          <SessionTable sessions={sessions} />
          <OverTime dates={created.data} error={created.error} />
          <BreakdownSection
            heading={t("dashboard.byOrganisationType")}
            rows={merge(sessions.map((session) => session.byOrganisationType)).map(([key, value]) => [
              t(`organisationTypes.${key}` as "organisationTypes.other", { defaultValue: key }),
              value,
            ])}
            attendanceKnown={attendanceKnown}
          />
          <BreakdownSection
            heading={t("dashboard.byCountry")}
            rows={merge(sessions.map((session) => session.byCountry)).map(([key, value]) => [
              countryName(key),
              value,
            ])}
            attendanceKnown={attendanceKnown}
          />
          {/* The answers to the event's choice and yes/no questions, one chart and table each. */}
          {(event.data?.form?.questions ?? []).map((question) => {
            const words = { yes: t("registrations.yes"), no: t("registrations.no") };
            const label = (key: string) =>
              question.type === "yes-no"
                ? words[key as "yes" | "no"]
                : (answerText(question, key, currentLanguage(), words) ?? key);
            return (
              <BreakdownSection
                key={question.id}
                heading={pickText(question.label, currentLanguage())}
                rows={merge(sessions.map((session) => session.byAnswer[question.id] ?? {})).map(
                  ([key, value]) => [label(key), value],
                )}
                attendanceKnown={attendanceKnown}
              />
            );
          })}
        </>
      )}
    </Page>
  );
}

function Figure({ label, value }: { label: string; value: number | string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{typeof value === "number" ? formatNumber(value) : value}</dd>
    </div>
  );
}

function SessionTable({ sessions }: { sessions: SessionStats[] }) {
  const { t } = useTranslation();
  const dash = (value: number | null, format = formatNumber) => (value === null ? "—" : format(value));
  return (
    <section>
      <h2>{t("dashboard.perSession")}</h2>
      <TableScroller label={t("dashboard.perSession")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("stats.session")}</th>
              <th scope="col">{t("stats.registered")}</th>
              <th scope="col">{t("stats.confirmed")}</th>
              <th scope="col">{t("stats.waitlisted")}</th>
              <th scope="col">{t("stats.cancelled")}</th>
              <th scope="col">{t("stats.erased")}</th>
              <th scope="col">{t("stats.attended")}</th>
              <th scope="col">{t("stats.absent")}</th>
              <th scope="col">{t("stats.rate")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.sessionId}>
                <th scope="row">{session.sessionId}</th>
                <td>{formatNumber(session.registered)}</td>
                <td>{formatNumber(session.confirmed)}</td>
                <td>{formatNumber(session.waitlisted)}</td>
                <td>{formatNumber(session.cancelled)}</td>
                <td>{formatNumber(session.erased)}</td>
                <td>{dash(session.attended)}</td>
                <td>{dash(session.absent)}</td>
                <td>{dash(session.attendanceRate, formatPercent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
    </section>
  );
}

function OverTime({ dates, error }: { dates: string[] | undefined; error: unknown }) {
  const { t } = useTranslation();
  const days = overTime(dates ?? []);
  const dayLabel = (day: string) =>
    new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(day));
  return (
    <section>
      <h2>{t("dashboard.overTime")}</h2>
      <ErrorMessage error={error} />
      {dates && days.length === 0 && <p>{t("dashboard.noRegistrations")}</p>}
      {days.length > 0 && (
        <div className="chart-and-table">
          <div className="chart">
            <Line
              role="img"
              aria-label={t("dashboard.overTimeChart")}
              options={{ responsive: true, maintainAspectRatio: false, animation: false }}
              data={{
                labels: days.map((day) => dayLabel(day.day)),
                datasets: [
                  {
                    label: t("dashboard.total"),
                    data: days.map((day) => day.total),
                    borderColor: colours.registered,
                    backgroundColor: colours.registered,
                  },
                ],
              }}
            />
          </div>
          <TableScroller label={t("dashboard.overTime")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.day")}</th>
                  <th scope="col">{t("dashboard.newRegistrations")}</th>
                  <th scope="col">{t("dashboard.total")}</th>
                </tr>
              </thead>
              <tbody>
                {days.map((day) => (
                  <tr key={day.day}>
                    <th scope="row">{dayLabel(day.day)}</th>
                    <td>{formatNumber(day.count)}</td>
                    <td>{formatNumber(day.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </div>
      )}
    </section>
  );
}

function BreakdownSection({
  heading,
  rows,
  attendanceKnown,
}: {
  heading: string;
  rows: [string, { registered: number; attended: number }][];
  attendanceKnown: boolean;
}) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <section>
      <h2>{heading}</h2>
      <div className="chart-and-table">
        <div className="chart">
          <Bar
            role="img"
            aria-label={t("dashboard.chartOf", { what: heading })}
            options={{ responsive: true, maintainAspectRatio: false, animation: false, indexAxis: "y" }}
            data={{
              labels: rows.map(([label]) => label),
              datasets: [
                {
                  label: t("stats.notCancelled"),
                  data: rows.map(([, value]) => value.registered),
                  backgroundColor: colours.registered,
                },
                ...(attendanceKnown
                  ? [
                      {
                        label: t("stats.attended"),
                        data: rows.map(([, value]) => value.attended),
                        backgroundColor: colours.attended,
                      },
                    ]
                  : []),
              ],
            }}
          />
        </div>
        <TableScroller label={heading}>
          <table>
            <thead>
              <tr>
                <th scope="col">{heading}</th>
                <th scope="col">{t("stats.notCancelled")}</th>
                {attendanceKnown && <th scope="col">{t("stats.attended")}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{formatNumber(value.registered)}</td>
                  {attendanceKnown && <td>{formatNumber(value.attended)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      </div>
    </section>
  );
}
