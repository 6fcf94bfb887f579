import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_datetime,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { pickText } from "#shared/domain/languages";
import {
  type OrganisationType,
  organisationTypes,
  type RegistrationStatus,
  registrationStatuses,
} from "#shared/domain/registration";
import { answerText } from "#shared/domain/registration-form";
import type { attendanceFilters } from "#shared/registrations/list-registrations";

/** The kinds of mail about a registration (the mail texts' own list, less reminders). */
const mailKinds = ["confirmation", "promotion", "waitlist", "cancellation"] as const;
type MailKind = (typeof mailKinds)[number];

import { type RegistrationFilters, type RegistrationRow, saveFile, useApi } from "../api.ts";
import { ConfirmDialog, ErrorMessage, Loading, Page, SelectField, TableScroller } from "../components.tsx";
import { countryName, formatDateTime, formatDuration } from "../format.ts";
import { currentLanguage } from "../i18n.ts";

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, datetime: sortFn_datetime },
});
const helper = createColumnHelper<typeof features, RegistrationRow>();
const pageSize = 50;
const noRows: RegistrationRow[] = [];

type Attendance = (typeof attendanceFilters)[number];

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Who registered: search, filters, sortable columns, server pages, one person's detail, exports. */
export function RegistrationsPage() {
  const { t } = useTranslation();
  const { eventId = "" } = useParams();
  const api = useApi();
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const [searchText, setSearchText] = useState("");
  const search = useDebounced(searchText, 300);
  const [session, setSession] = useState("");
  const [status, setStatus] = useState<RegistrationStatus | "">("");
  const [organisationType, setOrganisationType] = useState<OrganisationType | "">("");
  const [country, setCountry] = useState("");
  const [attendance, setAttendance] = useState<Attendance | "">("");
  // Every filter is the API's, so that pages stay full and the exports hold what is shown.
  const filters = useMemo<RegistrationFilters>(
    () => ({
      search,
      session,
      country,
      status: status || undefined,
      organisationType: organisationType || undefined,
      attendance: attendance || undefined,
    }),
    [search, session, status, organisationType, country, attendance],
  );
  // Cursors of the pages seen so far: the API pages forward only, so going back reuses them. Kept
  // with the filters they were read with: a new filter starts again from the first page, in the
  // very render that shows it (a cursor of other filters is one the API refuses).
  const firstPage = { filters, cursors: [undefined], pageIndex: 0 };
  const [paging, setPaging] = useState<{
    filters: RegistrationFilters;
    cursors: (string | undefined)[];
    pageIndex: number;
  }>(firstPage);
  const { cursors, pageIndex } = paging.filters === filters ? paging : firstPage;
  const [selected, setSelected] = useState<string | undefined>();
  // Said once a person's data is erased: their panel (and row) are gone by then.
  const [erased, setErased] = useState("");

  const page = useQuery({
    queryKey: ["registrations", eventId, filters, cursors[pageIndex]],
    queryFn: () => api.listRegistrations(eventId, filters, cursors[pageIndex], pageSize),
    placeholderData: keepPreviousData,
  });
  const rows = page.data?.registrations ?? noRows;
  // The countries to choose from are those of the event's registrants (the statistics' breakdown).
  const stats = useQuery({ queryKey: ["stats", eventId], queryFn: () => api.stats(eventId) });
  const countries = useMemo(
    () =>
      [...new Set(stats.data?.sessions.flatMap((item) => Object.keys(item.byCountry)))].sort((a, b) =>
        countryName(a).localeCompare(countryName(b)),
      ),
    [stats.data],
  );

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor((row) => `${row.lastName} ${row.firstName}`, {
          id: "name",
          header: t("registrations.name"),
          cell: (cell) => (
            <button
              type="button"
              className="link"
              onClick={() => setSelected(cell.row.original.registrationId)}
            >
              {cell.row.original.firstName} {cell.row.original.lastName}
            </button>
          ),
        }),
        helper.accessor("email", { header: t("registrations.email") }),
        helper.accessor("organisation", { header: t("registrations.organisation") }),
        helper.accessor("country", {
          header: t("registrations.country"),
          cell: (cell) => countryName(cell.getValue() ?? ""),
        }),
        helper.accessor("sessionId", { header: t("registrations.session") }),
        helper.accessor("status", {
          header: t("registrations.status"),
          cell: (cell) => t(`statuses.${cell.getValue()}`),
        }),
        helper.accessor((row) => (row.attended === null ? "" : row.attended ? "1" : "0"), {
          id: "attended",
          header: t("registrations.attended"),
          cell: (cell) =>
            cell.row.original.attended === null
              ? "—"
              : cell.row.original.attended
                ? t("registrations.yes")
                : t("registrations.no"),
        }),
        helper.accessor("createdAt", {
          header: t("registrations.createdAt"),
          sortFn: "datetime",
          cell: (cell) => formatDateTime(cell.getValue()),
        }),
      ]),
    [t],
  );
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.registrationId });

  const sessions = event.data?.sessions ?? [];
  const exportAs = async (format: "csv" | "xlsx") => {
    const blob = await api.exportRegistrations(eventId, format, filters);
    saveFile(blob, `${eventId}-registrations.${format}`);
  };
  const [exportError, setExportError] = useState<unknown>();
  const selectedRow = page.data?.registrations.find((row) => row.registrationId === selected);

  return (
    <Page
      title={t("registrations.title")}
      actions={
        <>
          <button type="button" onClick={() => exportAs("csv").catch(setExportError)}>
            {t("registrations.exportCsv")}
          </button>
          <button type="button" onClick={() => exportAs("xlsx").catch(setExportError)}>
            {t("registrations.exportXlsx")}
          </button>
        </>
      }
    >
      <ErrorMessage error={exportError} />
      <search className="filters" aria-label={t("registrations.filters")}>
        <div className="field">
          <label htmlFor="registration-search">{t("registrations.search")}</label>
          <input
            id="registration-search"
            type="search"
            value={searchText}
            onChange={(change) => setSearchText(change.target.value)}
          />
        </div>
        <SelectField
          label={t("registrations.session")}
          value={session}
          onChange={(change) => setSession(change.target.value)}
          options={[
            { value: "", label: t("registrations.all") },
            ...sessions.map((item) => ({ value: item.id, label: item.id })),
          ]}
        />
        <SelectField
          label={t("registrations.status")}
          value={status}
          onChange={(change) => setStatus(change.target.value as RegistrationStatus | "")}
          options={[
            { value: "", label: t("registrations.all") },
            ...registrationStatuses.map((value) => ({ value, label: t(`statuses.${value}`) })),
          ]}
        />
        <SelectField
          label={t("registrations.organisationType")}
          value={organisationType}
          onChange={(change) => setOrganisationType(change.target.value as OrganisationType | "")}
          options={[
            { value: "", label: t("registrations.all") },
            ...organisationTypes.map((value) => ({ value, label: t(`organisationTypes.${value}`) })),
          ]}
        />
        <SelectField
          label={t("registrations.country")}
          value={country}
          onChange={(change) => setCountry(change.target.value)}
          options={[
            { value: "", label: t("registrations.all") },
            ...countries.map((code) => ({ value: code, label: countryName(code) })),
          ]}
        />
        <SelectField
          label={t("registrations.attended")}
          value={attendance}
          onChange={(change) => setAttendance(change.target.value as Attendance | "")}
          options={[
            { value: "", label: t("registrations.all") },
            { value: "attended", label: t("registrations.attendedOnly") },
            { value: "absent", label: t("registrations.absentOnly") },
            { value: "unknown", label: t("registrations.noImport") },
          ]}
        />
      </search>
      <p role="status" className="muted">
        {page.isSuccess ? t("registrations.shown", { count: rows.length }) : ""}
      </p>
      <p role="status">{erased}</p>
      {page.isPending && <Loading />}
      <ErrorMessage error={page.error} />
      {page.isSuccess && rows.length === 0 && <p>{t("registrations.empty")}</p>}
      {rows.length > 0 && (
        <TableScroller label={t("registrations.title")}>
          <table className="data">
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => {
                    const sorted = header.column.getIsSorted();
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={
                          sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                        }
                      >
                        <button
                          type="button"
                          className="sort"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true">
                            {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                          </span>
                        </button>
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id} className={row.id === selected ? "selected" : undefined}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      <nav className="pager" aria-label={t("registrations.pages")}>
        <button
          type="button"
          disabled={pageIndex === 0}
          onClick={() => setPaging({ filters, cursors, pageIndex: pageIndex - 1 })}
        >
          {t("common.previous")}
        </button>
        <span>{t("registrations.page", { number: pageIndex + 1 })}</span>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => {
            setPaging({
              filters,
              cursors: [...cursors.slice(0, pageIndex + 1), page.data?.nextCursor],
              pageIndex: pageIndex + 1,
            });
          }}
        >
          {t("common.next")}
        </button>
      </nav>
      {selectedRow && (
        <RegistrationPanel
          eventId={eventId}
          row={selectedRow}
          sessions={sessions.map((item) => item.id)}
          onClose={() => setSelected(undefined)}
          onErased={(name) => {
            setErased(t("registrations.erased", { name }));
            setSelected(undefined);
          }}
        />
      )}
    </Page>
  );
}

/** One registrant: every field, the consent record, the mails sent and what became of them, actions. */
function RegistrationPanel({
  eventId,
  row,
  sessions,
  onClose,
  onErased,
}: {
  eventId: string;
  row: RegistrationRow;
  sessions: string[];
  onClose: () => void;
  /** Their data is erased: the panel closes, the page says so. */
  onErased: (name: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [confirmErase, setConfirmErase] = useState(false);
  const [moveTo, setMoveTo] = useState(sessions.find((id) => id !== row.sessionId) ?? "");
  const [done, setDone] = useState("");
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const detail = useQuery({
    queryKey: ["registration", eventId, row.registrationId],
    queryFn: () => api.getRegistration(eventId, row.registrationId),
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the focus moves when another person is opened.
  useEffect(() => heading.current?.focus(), [row.registrationId]);
  // A delivery's kind as the API stores it: "confirmation", "reminder-<session>-P1D" (before
  // reminders were per session, "reminder-P1D")… (an unknown one as is).
  const mailKindLabel = (kind: string) => {
    const reminder = /^reminder-(?:[a-z0-9-]+-)?(P[^-]+)$/.exec(kind);
    if (reminder?.[1]) return t("registrations.mailKinds.reminder", { offset: formatDuration(reminder[1]) });
    return mailKinds.includes(kind as MailKind) ? t(`registrations.mailKinds.${kind as MailKind}`) : kind;
  };
  const action = useMutation({
    mutationFn: (name: "cancel" | "restore" | "resend" | "move") =>
      api.registrationAction(eventId, row.registrationId, name, name === "move" ? moveTo : undefined),
    onSuccess: async (_, name) => {
      setConfirmCancel(false);
      setDone(t(`registrations.done.${name}`));
      await queryClient.invalidateQueries({ queryKey: ["registrations", eventId] });
      await queryClient.invalidateQueries({ queryKey: ["registration", eventId, row.registrationId] });
      await queryClient.invalidateQueries({ queryKey: ["stats", eventId] });
    },
  });
  const erase = useMutation({
    mutationFn: () => api.deleteRegistration(eventId, row.registrationId),
    onSuccess: async () => {
      setConfirmErase(false);
      onErased(`${row.firstName} ${row.lastName}`);
      await queryClient.invalidateQueries({ queryKey: ["registrations", eventId] });
      await queryClient.invalidateQueries({ queryKey: ["stats", eventId] });
    },
  });
  const registration = detail.data?.registration;
  const fields: [string, string | undefined][] = [
    [t("registrations.email"), row.email],
    [t("registrations.organisation"), row.organisation],
    [
      t("registrations.organisationType"),
      row.organisationType && t(`organisationTypes.${row.organisationType}`),
    ],
    [t("registrations.jobTitle"), row.jobTitle],
    [t("registrations.department"), row.department],
    [t("registrations.city"), row.city],
    [t("registrations.country"), row.country && countryName(row.country)],
    [t("registrations.session"), row.sessionId],
    [t("registrations.language"), t(`languages.${row.language}`)],
    [t("registrations.status"), t(`statuses.${row.status}`)],
    [t("registrations.createdAt"), formatDateTime(row.createdAt)],
    // The answers to the event's own questions, under their labels.
    ...(event.data?.form?.questions ?? []).map((question): [string, string | undefined] => [
      pickText(question.label, currentLanguage()),
      answerText(question, row.answers[question.id], currentLanguage(), {
        yes: t("registrations.yes"),
        no: t("registrations.no"),
      }),
    ]),
    [t("registrations.updates"), row.updates ? t("registrations.yes") : t("registrations.no")],
    [
      t("registrations.attended"),
      row.attended === null
        ? t("registrations.noImport")
        : `${row.attended ? t("registrations.yes") : t("registrations.no")} (${row.attendedMinutes ?? 0} min)`,
    ],
    [
      t("registrations.consent"),
      registration
        ? [
            t("registrations.consentRecord", {
              at: formatDateTime(registration.consent.acceptedAt),
              version: registration.consent.noticeVersion,
            }),
            registration.consent.facts &&
              t("registrations.consentFacts", {
                controllers: registration.consent.facts.controllers
                  .map((controller) => `${controller.name} (${controller.email})`)
                  .join(", "),
                contact: registration.consent.facts.contact,
                days: registration.consent.facts.retentionDays,
              }),
          ]
            .filter(Boolean)
            .join(" ")
        : undefined,
    ],
  ];
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="page-header">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {row.firstName} {row.lastName}
        </h2>
        <button type="button" onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
      <dl className="details">
        {fields
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <h3>{t("registrations.mails")}</h3>
      {detail.isPending && <Loading />}
      {detail.isError && <ErrorMessage error={detail.error} />}
      {detail.data && detail.data.deliveries.length === 0 && <p>{t("registrations.noMails")}</p>}
      {detail.data && detail.data.deliveries.length > 0 && (
        <ul className="plain">
          {detail.data.deliveries.map((delivery) => (
            <li key={`${delivery.kind}-${delivery.number}`}>
              {mailKindLabel(delivery.kind)}
              {delivery.number > 1 ? ` (${delivery.number})` : ""}:{" "}
              {t(`registrations.mailStates.${delivery.state}`)}
              {delivery.reason ? ` (${delivery.reason})` : ""} · {formatDateTime(delivery.at)}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("registrations.actions")}</h3>
      <div className="actions">
        {row.status === "cancelled" ? (
          <button type="button" onClick={() => action.mutate("restore")} disabled={action.isPending}>
            {t("registrations.restore")}
          </button>
        ) : (
          <>
            <button type="button" onClick={() => action.mutate("resend")} disabled={action.isPending}>
              {t("registrations.resend")}
            </button>
            <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
              {t("registrations.cancel")}
            </button>
          </>
        )}
      </div>
      {row.status !== "cancelled" && sessions.length > 1 && (
        <div className="inline-form">
          <SelectField
            label={t("registrations.moveTo")}
            value={moveTo}
            onChange={(change) => setMoveTo(change.target.value)}
            options={sessions.filter((id) => id !== row.sessionId).map((id) => ({ value: id, label: id }))}
          />
          <button type="button" onClick={() => action.mutate("move")} disabled={action.isPending || !moveTo}>
            {t("registrations.move")}
          </button>
        </div>
      )}
      <div className="actions">
        <button type="button" className="danger" onClick={() => setConfirmErase(true)}>
          {t("registrations.erase")}
        </button>
      </div>
      <p role="status">{done}</p>
      <ErrorMessage error={action.error} />
      <ErrorMessage error={erase.error} />
      <ConfirmDialog
        isOpen={confirmCancel}
        onOpenChange={setConfirmCancel}
        title={t("registrations.cancelTitle", { name: `${row.firstName} ${row.lastName}` })}
        confirmLabel={t("registrations.cancelConfirm")}
        pending={action.isPending}
        onConfirm={() => action.mutate("cancel")}
      >
        <p>{t("registrations.cancelBody")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={confirmErase}
        onOpenChange={setConfirmErase}
        title={t("registrations.eraseTitle", { name: `${row.firstName} ${row.lastName}` })}
        confirmLabel={t("registrations.eraseConfirm")}
        pending={erase.isPending}
        onConfirm={() => erase.mutate()}
      >
        <p>{t("registrations.eraseBody")}</p>
      </ConfirmDialog>
    </section>
  );
}
