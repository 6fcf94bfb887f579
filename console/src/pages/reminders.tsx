import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useApi } from "../api.ts";
import { ErrorMessage, Loading, Page, TableScroller } from "../components.tsx";
import { formatDateTime, formatDuration, formatNumber } from "../format.ts";

/** The automatic schedule: each reminder of each session, when it goes out and to how many. */
export function RemindersPage() {
  const { t } = useTranslation();
  const { eventId = "" } = useParams();
  const api = useApi();
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const reminders = useQuery({ queryKey: ["reminders", eventId], queryFn: () => api.reminders(eventId) });
  const zoneOf = (sessionId: string) =>
    event.data?.sessions.find((session) => session.id === sessionId)?.timezone ?? "UTC";
  return (
    <Page title={t("reminders.title")}>
      <p>{t("reminders.intro")}</p>
      {reminders.isPending && <Loading />}
      <ErrorMessage error={reminders.error} />
      {reminders.data && reminders.data.reminders.length === 0 && <p>{t("reminders.empty")}</p>}
      {reminders.data && reminders.data.reminders.length > 0 && (
        <TableScroller label={t("reminders.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("reminders.session")}</th>
                <th scope="col">{t("reminders.offset")}</th>
                <th scope="col">{t("reminders.due")}</th>
                <th scope="col">{t("reminders.status")}</th>
                <th scope="col">{t("reminders.sent")}</th>
              </tr>
            </thead>
            <tbody>
              {reminders.data.reminders.map((reminder) => (
                <tr key={`${reminder.sessionId}-${reminder.offset}`}>
                  <td>{reminder.sessionId}</td>
                  <td>{formatDuration(reminder.offset)}</td>
                  <td>{formatDateTime(reminder.dueAt, zoneOf(reminder.sessionId))}</td>
                  <td>{t(`reminderStatuses.${reminder.status}`)}</td>
                  <td>{formatNumber(reminder.sent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Page>
  );
}
