import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type DragEvent, type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { type ImportSummary, useApi } from "../api.ts";
import { ErrorMessage, Loading, Page, SelectField, TableScroller } from "../components.tsx";
import { formatDateTime, formatNumber } from "../format.ts";

/** After the webinar: the platform's report per session, as downloaded, and what it said. */
export function AttendancePage() {
  const { t } = useTranslation();
  const { eventId = "" } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const [sessionId, setSessionId] = useState("");
  const [file, setFile] = useState<File | undefined>();
  const [dragging, setDragging] = useState(false);
  const inputId = useId();
  const session = sessionId || event.data?.sessions[0]?.id || "";
  const upload = useMutation({
    mutationFn: (report: File) => api.importAttendance(eventId, session, report),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["stats", eventId] });
      await queryClient.invalidateQueries({ queryKey: ["registrations", eventId] });
    },
  });
  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (file) upload.mutate(file);
  };
  const drop = (dropped: DragEvent) => {
    dropped.preventDefault();
    setDragging(false);
    const first = dropped.dataTransfer.files[0];
    if (first) {
      setFile(first);
      upload.reset();
    }
  };
  if (!event.data) return event.isPending ? <Loading /> : <ErrorMessage error={event.error} />;
  return (
    <Page title={t("attendance.title")}>
      <p>{t("attendance.intro")}</p>
      <form onSubmit={submit} className="stack">
        <SelectField
          label={t("attendance.session")}
          value={session}
          onChange={(change) => {
            setSessionId(change.target.value);
            upload.reset();
          }}
          options={event.data.sessions.map((item) => ({
            value: item.id,
            label: `${item.id} · ${formatDateTime(item.startsAt, item.timezone)}`,
          }))}
        />
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut for the mouse; the file input inside is the keyboard's way. */}
        <div
          className={`dropzone${dragging ? " dragging" : ""}`}
          onDragOver={(over) => {
            over.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <label htmlFor={inputId}>{t("attendance.file")}</label>
          <span className="hint">{t("attendance.dropHint")}</span>
          <input
            id={inputId}
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
            onChange={(change) => {
              setFile(change.target.files?.[0]);
              upload.reset();
            }}
          />
          {file && <p>{t("attendance.chosen", { name: file.name })}</p>}
        </div>
        <div>
          <button type="submit" className="primary" disabled={!file || upload.isPending}>
            {t("attendance.upload")}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {upload.isPending && <p>{t("attendance.uploading")}</p>}
        {upload.data && <Summary summary={upload.data} />}
      </div>
      <ErrorMessage error={upload.error} />
    </Page>
  );
}

function Summary({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  return (
    <section>
      <h2>{t("attendance.summary")}</h2>
      <dl className="figures">
        <div>
          <dt>{t("attendance.format")}</dt>
          <dd>{summary.format}</dd>
        </div>
        <div>
          <dt>{t("attendance.people")}</dt>
          <dd>{formatNumber(summary.people)}</dd>
        </div>
        <div>
          <dt>{t("attendance.matched")}</dt>
          <dd>{formatNumber(summary.matched)}</dd>
        </div>
        <div>
          <dt>{t("attendance.attendedAny")}</dt>
          <dd>{formatNumber(summary.attended)}</dd>
        </div>
        <div>
          <dt>{t("attendance.absentConfirmed")}</dt>
          <dd>{formatNumber(summary.absent)}</dd>
        </div>
      </dl>
      <h3>{t("attendance.unmatched", { count: summary.unmatched.length })}</h3>
      {summary.unmatched.length > 0 && (
        <TableScroller label={t("attendance.unmatched", { count: summary.unmatched.length })}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("registrations.name")}</th>
                <th scope="col">{t("registrations.email")}</th>
                <th scope="col">{t("attendance.minutes")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.unmatched.map((person) => (
                <tr key={`${person.email}-${person.name}`}>
                  <td>{person.name}</td>
                  <td>{person.email}</td>
                  <td>{formatNumber(person.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </section>
  );
}
