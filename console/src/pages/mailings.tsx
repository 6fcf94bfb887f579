import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useApi } from "../api.ts";
import { ErrorMessage, Loading, Page, TableScroller } from "../components.tsx";
import { formatDateTime, formatNumber } from "../format.ts";

/** An event's mailings, newest first, with their status and counts. */
export function MailingsPage() {
  const { t } = useTranslation();
  const { eventId = "" } = useParams();
  const api = useApi();
  const mailings = useQuery({
    queryKey: ["mailings", eventId],
    queryFn: () => api.listMailings(eventId),
    // Counts of a mailing being sent move: the list follows them.
    refetchInterval: (query) =>
      query.state.data?.mailings.some((mailing) => mailing.status === "sending") ? 2000 : false,
  });
  const base = `/events/${encodeURIComponent(eventId)}/mailings`;
  return (
    <Page
      title={t("mailings.title")}
      actions={
        <Link className="button primary" to={`${base}/new`}>
          {t("mailings.new")}
        </Link>
      }
    >
      {mailings.isPending && <Loading />}
      <ErrorMessage error={mailings.error} />
      {mailings.data?.mailings.length === 0 && <p>{t("mailings.empty")}</p>}
      {mailings.data && mailings.data.mailings.length > 0 && (
        <TableScroller label={t("mailings.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("mailings.name")}</th>
                <th scope="col">{t("mailings.status")}</th>
                <th scope="col">{t("mailings.recipients")}</th>
                <th scope="col">{t("mailings.sent")}</th>
                <th scope="col">{t("mailings.skipped")}</th>
                <th scope="col">{t("mailings.failed")}</th>
                <th scope="col">{t("mailings.updatedAt")}</th>
              </tr>
            </thead>
            <tbody>
              {mailings.data.mailings.map((mailing) => (
                <tr key={mailing.mailingId}>
                  <td>
                    <Link to={`${base}/${mailing.mailingId}`}>{mailing.name}</Link>
                  </td>
                  <td>{t(`mailingStatuses.${mailing.status}`)}</td>
                  <td>{formatNumber(mailing.recipients)}</td>
                  <td>{formatNumber(mailing.sent)}</td>
                  <td>{formatNumber(mailing.skipped)}</td>
                  <td>{formatNumber(mailing.failed)}</td>
                  <td>{formatDateTime(mailing.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Page>
  );
}
