import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { type Language, languages } from "#shared/domain/languages";
import { type Mailing, useApi } from "../api.ts";
import { ConfirmDialog, ErrorMessage, Field, Loading, Page, SelectField } from "../components.tsx";
import { formatDateTime, formatNumber } from "../format.ts";
import { currentLanguage } from "../i18n.ts";

/** One mailing: where it stands, its preview, a test copy, sending with live progress. */
export function MailingPage() {
  const { t } = useTranslation();
  const { eventId = "", mailingId = "" } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<"send" | "cancel" | "delete" | undefined>();
  const mailing = useQuery({
    queryKey: ["mailing", eventId, mailingId],
    queryFn: () => api.getMailing(eventId, mailingId),
    // While it is sent, its counts move page by page: followed every second.
    refetchInterval: (query) => (query.state.data?.status === "sending" ? 1000 : false),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ["mailing", eventId, mailingId] });
    await queryClient.invalidateQueries({ queryKey: ["mailings", eventId] });
  };
  const act = useMutation({
    mutationFn: async (action: "send" | "cancel" | "delete") => {
      if (action === "send") await api.sendMailing(eventId, mailingId);
      if (action === "cancel") await api.cancelMailing(eventId, mailingId);
      if (action === "delete") await api.deleteMailing(eventId, mailingId);
      return action;
    },
    onSuccess: async (action) => {
      setConfirm(undefined);
      if (action === "delete") {
        await queryClient.invalidateQueries({ queryKey: ["mailings", eventId] });
        void navigate(`/events/${encodeURIComponent(eventId)}/mailings`);
      } else await refresh();
    },
    onError: () => setConfirm(undefined),
  });
  if (!mailing.data) return mailing.isPending ? <Loading /> : <ErrorMessage error={mailing.error} />;
  const current = mailing.data;
  const base = `/events/${encodeURIComponent(eventId)}/mailings/${encodeURIComponent(mailingId)}`;
  return (
    <Page
      title={current.name}
      actions={
        current.status === "draft" ? (
          <>
            <Link className="button" to={`${base}/edit`}>
              {t("mailing.edit")}
            </Link>
            <button type="button" className="danger" onClick={() => setConfirm("delete")}>
              {t("mailing.delete")}
            </button>
            <button type="button" className="primary" onClick={() => setConfirm("send")}>
              {t("mailing.send")}
            </button>
          </>
        ) : current.status === "sending" ? (
          <button type="button" className="danger" onClick={() => setConfirm("cancel")}>
            {t("mailing.cancel")}
          </button>
        ) : undefined
      }
    >
      <Progress mailing={current} />
      <ErrorMessage error={act.error} />
      <PreviewSection eventId={eventId} mailingId={mailingId} updatedAt={current.updatedAt} />
      <TestCopy eventId={eventId} mailingId={mailingId} />
      <ConfirmDialog
        isOpen={confirm !== undefined}
        onOpenChange={(open) => !open && setConfirm(undefined)}
        title={
          confirm === "send"
            ? t("mailing.sendTitle", {
                count: current.recipients,
                formatted: formatNumber(current.recipients),
              })
            : confirm === "cancel"
              ? t("mailing.cancelTitle")
              : t("mailing.deleteTitle", { name: current.name })
        }
        confirmLabel={
          confirm === "send"
            ? t("mailing.sendConfirm", {
                count: current.recipients,
                formatted: formatNumber(current.recipients),
              })
            : confirm === "cancel"
              ? t("mailing.cancelConfirm")
              : t("mailing.deleteConfirm")
        }
        pending={act.isPending}
        onConfirm={() => confirm && act.mutate(confirm)}
      >
        <p>
          {confirm === "send"
            ? t("mailing.sendBody")
            : confirm === "cancel"
              ? t("mailing.cancelBody")
              : t("mailing.deleteBody")}
        </p>
      </ConfirmDialog>
    </Page>
  );
}

/** Status and counts; while sending, a progress bar and a polite live announcement of the counts. */
function Progress({ mailing }: { mailing: Mailing }) {
  const { t } = useTranslation();
  const done = mailing.sent + mailing.skipped + mailing.failed;
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t("mailing.progress")}</h2>
      <p>
        {t("mailing.statusIs")}{" "}
        <strong className={`badge ${mailing.status}`}>{t(`mailingStatuses.${mailing.status}`)}</strong> ·{" "}
        {t("mailing.updated", { at: formatDateTime(mailing.updatedAt) })}
      </p>
      {mailing.status !== "draft" && (
        <progress max={Math.max(mailing.recipients, 1)} value={done} aria-labelledby="progress-heading">
          {done} / {mailing.recipients}
        </progress>
      )}
      <p role="status" aria-live="polite" aria-atomic="true" className="counts">
        {t("mailing.counts", {
          done: formatNumber(done),
          recipients: formatNumber(mailing.recipients),
          sent: formatNumber(mailing.sent),
          skipped: formatNumber(mailing.skipped),
          failed: formatNumber(mailing.failed),
        })}
      </p>
    </section>
  );
}

function PreviewSection({
  eventId,
  mailingId,
  updatedAt,
}: {
  eventId: string;
  mailingId: string;
  updatedAt: string;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [language, setLanguage] = useState<Language>(currentLanguage());
  const preview = useQuery({
    queryKey: ["preview", eventId, mailingId, language, updatedAt],
    queryFn: () => api.preview(eventId, mailingId, language),
  });
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t("mailing.preview")}</h2>
      <SelectField
        label={t("mailing.previewLanguage")}
        value={language}
        onChange={(change) => setLanguage(change.target.value as Language)}
        options={languages.map((value) => ({ value, label: t(`languages.${value}`) }))}
      />
      {preview.isPending && <Loading />}
      <ErrorMessage error={preview.error} />
      {preview.data && (
        <div className="preview">
          <p>
            {t("mailing.previewFor", { recipient: preview.data.recipient })}
            <br />
            <strong>{t("mailing.subject")}:</strong> <span className="subject">{preview.data.subject}</span>
          </p>
          {/* No scripts, no forms, no navigation, another origin: the mail is shown, never run. */}
          <iframe
            sandbox=""
            title={t("mailing.previewFrame", { subject: preview.data.subject })}
            srcDoc={preview.data.html}
            lang={language}
          />
        </div>
      )}
    </section>
  );
}

function TestCopy({ eventId, mailingId }: { eventId: string; mailingId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [email, setEmail] = useState("");
  const [language, setLanguage] = useState<Language>(currentLanguage());
  const test = useMutation({ mutationFn: () => api.testMailing(eventId, mailingId, email, language) });
  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    test.mutate();
  };
  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading">{t("mailing.test")}</h2>
      <form onSubmit={submit} className="inline-form">
        <Field
          label={t("mailing.testEmail")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(change) => setEmail(change.target.value)}
        />
        <SelectField
          label={t("mailing.testLanguage")}
          value={language}
          onChange={(change) => setLanguage(change.target.value as Language)}
          options={languages.map((value) => ({ value, label: t(`languages.${value}`) }))}
        />
        <button type="submit" disabled={test.isPending}>
          {t("mailing.sendTest")}
        </button>
      </form>
      <p role="status">{test.isSuccess ? t("mailing.testSent", { email }) : ""}</p>
      <ErrorMessage error={test.error} />
    </section>
  );
}
