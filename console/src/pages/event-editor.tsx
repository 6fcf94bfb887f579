import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { eventInputSchema, slugSchema } from "#shared/domain/event";
import { type Language, languages } from "#shared/domain/languages";
import { ApiError, type EventInput, issuesOf, useApi, type WebinarEvent } from "../api.ts";
import { filledTexts, LanguageFields, type Texts } from "../components/language-fields.tsx";
import { newUid, RepeatedGroup } from "../components/repeated-group.tsx";
import {
  ConfirmDialog,
  ErrorMessage,
  Field,
  Loading,
  Page,
  SelectField,
  TimeZonePicker,
} from "../components.tsx";
import { fromZonedInput, toZonedInput } from "../format.ts";
import { type AgendaDraft, AgendaEditor, agendaDraftOf, agendaInputOf } from "./agenda-editor.tsx";
import { type BrandingDraft, BrandingEditor, brandingDraftOf, brandingInputOf } from "./branding-editor.tsx";
import { type FormDraft, FormEditor, formDraftOf, formInputOf } from "./form-editor.tsx";

/** A session as the form holds it: its start on the clocks of its own time zone. */
interface SessionDraft {
  /** Keeps each session's inputs in place while others are added or removed. */
  uid: number;
  id: string;
  language: Language;
  localStart: string;
  timezone: string;
  durationMinutes: string;
  capacity: string;
  joinUrl: string;
  /** Set once the session is cancelled (by its own route, never by saving the form). */
  cancelledAt?: string;
  agenda: AgendaDraft;
}

interface Draft {
  id: string;
  title: Texts;
  description: Texts;
  organiserName: Texts;
  organiserEmail: string;
  sessions: SessionDraft[];
  reminders: string;
  attendanceMinMinutes: string;
  form: FormDraft;
  branding: BrandingDraft;
  /** What the editor does not edit (set through the API), sent back as it is so that a save keeps it. */
  kept: Pick<EventInput, "privacy" | "retentionDays">;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const newSession = (index: number): SessionDraft => ({
  uid: newUid(),
  id: languages[index] ?? `session-${index + 1}`,
  language: languages[index] ?? "en",
  localStart: "",
  timezone: browserZone,
  durationMinutes: "90",
  capacity: "",
  joinUrl: "",
  agenda: [],
});

function draftOf(event: WebinarEvent | undefined): Draft {
  if (!event) {
    return {
      id: "",
      title: {},
      description: {},
      organiserName: {},
      organiserEmail: "",
      sessions: [newSession(0)],
      reminders: "P7D, P1D, PT1H",
      attendanceMinMinutes: "5",
      form: formDraftOf(undefined),
      branding: brandingDraftOf(undefined),
      kept: {},
    };
  }
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    organiserName: event.organiser.name,
    organiserEmail: event.organiser.email,
    sessions: event.sessions.map((session) => ({
      uid: newUid(),
      id: session.id,
      language: session.language,
      localStart: toZonedInput(session.startsAt, session.timezone),
      timezone: session.timezone,
      durationMinutes: String(session.durationMinutes),
      capacity: session.capacity === undefined ? "" : String(session.capacity),
      joinUrl: session.joinUrl,
      ...(session.cancelledAt && { cancelledAt: session.cancelledAt }),
      agenda: agendaDraftOf(session),
    })),
    reminders: event.reminders.join(", "),
    attendanceMinMinutes: String(event.attendanceMinMinutes),
    form: formDraftOf(event),
    branding: brandingDraftOf(event),
    kept: {
      ...(event.privacy && { privacy: event.privacy }),
      ...(event.retentionDays !== undefined && { retentionDays: event.retentionDays }),
    },
  };
}

const texts = (values: Texts) => filledTexts(values) as EventInput["title"];

/** The body of `PUT /admin/events/{id}`: the API's own input type, so a new field is a type error here. */
function inputOf(draft: Draft): EventInput {
  return {
    title: texts(draft.title),
    description: texts(draft.description),
    organiser: { name: texts(draft.organiserName), email: draft.organiserEmail },
    sessions: draft.sessions.map((session) => ({
      id: session.id,
      language: session.language,
      startsAt: session.localStart ? fromZonedInput(session.localStart, session.timezone) : "",
      timezone: session.timezone,
      durationMinutes: Number(session.durationMinutes),
      joinUrl: session.joinUrl,
      ...(session.capacity.trim() && { capacity: Number(session.capacity) }),
      ...agendaInputOf(session.agenda),
    })),
    reminders: draft.reminders
      .split(/[\s,]+/)
      .map((offset) => offset.trim().toUpperCase())
      .filter(Boolean),
    attendanceMinMinutes: Number(draft.attendanceMinMinutes),
    ...formInputOf(draft.form),
    ...brandingInputOf(draft.branding),
    ...draft.kept,
  };
}

/** The same checks as the API, before sending: the problems show next to their fields at once. */
function validate(draft: Draft, isNew: boolean): ApiError | undefined {
  const issues = [];
  if (isNew) {
    const id = slugSchema.safeParse(draft.id);
    if (!id.success)
      issues.push(...id.error.issues.map((issue) => ({ path: "eventId", message: issue.message })));
  }
  const result = eventInputSchema.safeParse(inputOf(draft));
  if (!result.success) {
    issues.push(
      ...result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    );
  }
  return issues.length ? new ApiError(400, "validation", "", issues) : undefined;
}

export function EventEditorPage() {
  const { eventId } = useParams();
  const api = useApi();
  const event = useQuery({
    queryKey: ["event", eventId],
    queryFn: () => api.getEvent(eventId ?? ""),
    enabled: eventId !== undefined,
  });
  if (eventId !== undefined && !event.data) {
    return event.isPending ? <Loading /> : <ErrorMessage error={event.error} />;
  }
  // Keyed by the event, not by its version: a save updates the form in place, so that the focus
  // stays on the Save button and "Saved." is announced by a status that was already there.
  return <EventForm event={event.data} key={event.data?.id ?? "new"} />;
}

function EventForm({ event }: { event: WebinarEvent | undefined }) {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const isNew = event === undefined;
  const [draft, setDraft] = useState<Draft>(() => draftOf(event));
  // The stored version the form's edits are based on (If-Match of the save).
  const [version, setVersion] = useState(event?.updatedAt);
  const [problems, setProblems] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (input: EventInput) => api.putEvent(draft.id, input, version),
    onSuccess: async (savedEvent) => {
      queryClient.setQueryData(["event", savedEvent.id], savedEvent);
      setVersion(savedEvent.updatedAt);
      // The form shows what is stored (trimmed, normalised), as a reload would.
      setDraft(draftOf(savedEvent));
      await queryClient.invalidateQueries({ queryKey: ["events"] });
      setSaved(true);
      // A new event opens on its dashboard, from where everything else about it is one link away.
      if (isNew) void navigate(`/events/${encodeURIComponent(savedEvent.id)}`);
    },
    onError: (error) => setProblems(error instanceof ApiError ? error : undefined),
  });
  const remove = useMutation({
    mutationFn: () => api.deleteEvent(draft.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["events"] });
      localStorage.removeItem("convene.event");
      void navigate("/");
    },
    onSettled: () => setConfirmDelete(false),
  });
  const cancelSession = useMutation({
    mutationFn: (sessionId: string) => api.cancelSession(draft.id, sessionId),
    onSuccess: (savedEvent, sessionId) => {
      queryClient.setQueryData(["event", savedEvent.id], savedEvent);
      // The form takes the cancellation in (below), so its edits are now based on this version.
      setVersion(savedEvent.updatedAt);
      // Only the cancelled session changes in the form: the organiser's unsaved edits stay.
      const cancelledAt = savedEvent.sessions.find((session) => session.id === sessionId)?.cancelledAt;
      setDraft((current) => ({
        ...current,
        sessions: current.sessions.map((session) =>
          session.id === sessionId && cancelledAt ? { ...session, cancelledAt } : session,
        ),
      }));
    },
    onSettled: () => setConfirmCancel(undefined),
  });

  const issues = issuesOf(problems ?? save.error);
  const issuesUnder = (prefix: string) =>
    [...issues]
      .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
      .flatMap(([, messages]) => messages);
  const update = (change: Partial<Draft>) => {
    setSaved(false);
    setDraft((current) => ({ ...current, ...change }));
  };

  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (save.isPending) return;
    const invalid = validate(draft, isNew);
    setProblems(invalid);
    if (!invalid) save.mutate(inputOf(draft));
  };

  return (
    <Page title={isNew ? t("editor.newTitle") : t("editor.title")}>
      <form onSubmit={submit} className="stack" noValidate>
        {problems && problems.issues.length > 0 && (
          <div role="alert" className="error">
            <p>{t("editor.fix", { count: problems.issues.length })}</p>
          </div>
        )}
        {save.error && !(save.error instanceof ApiError && save.error.code === "validation") && (
          <ErrorMessage error={save.error} />
        )}
        <Field
          label={t("editor.id")}
          hint={t("editor.idHint")}
          value={draft.id}
          readOnly={!isNew}
          required
          errors={issues.get("eventId")}
          onChange={(change) => update({ id: change.target.value })}
        />
        <fieldset className="stack">
          <legend>{t("editor.texts")}</legend>
          <div className="grid-3">
            <LanguageFields
              label={(language) => t("editor.titleIn", { language })}
              values={draft.title}
              issues={issues}
              path="title"
              onChange={(title) => update({ title })}
            />
          </div>
          <div className="grid-3">
            <LanguageFields
              label={(language) => t("editor.descriptionIn", { language })}
              rows={3}
              values={draft.description}
              issues={issues}
              path="description"
              onChange={(description) => update({ description })}
            />
          </div>
        </fieldset>
        <fieldset className="grid-3">
          <legend>{t("editor.organiser")}</legend>
          <p className="hint wide">{t("editor.organiserNameHint")}</p>
          <LanguageFields
            label={(language) => t("editor.organiserNameIn", { language })}
            values={draft.organiserName}
            issues={issues}
            path="organiser.name"
            onChange={(organiserName) => update({ organiserName })}
          />
          <Field
            label={t("editor.organiserEmail")}
            type="email"
            value={draft.organiserEmail}
            required
            errors={issues.get("organiser.email")}
            onChange={(change) => update({ organiserEmail: change.target.value })}
          />
        </fieldset>
        <BrandingEditor
          draft={draft.branding}
          issues={issues}
          onChange={(branding) => update({ branding })}
        />
        <RepeatedGroup
          items={draft.sessions}
          onChange={(sessions) => update({ sessions })}
          legend={(_, index) => t("editor.session", { number: index + 1 })}
          create={newSession}
          addLabel={t("editor.addSession")}
          labels={{ remove: (session, index) => t("editor.removeSession", { id: session.id || index + 1 }) }}
          minItems={1}
          errors={issues.get("sessions")}
          errorsId="sessions-error"
          itemActions={(session) =>
            !session.cancelledAt &&
            event?.sessions.some((stored) => stored.id === session.id) && (
              <button type="button" className="danger" onClick={() => setConfirmCancel(session.id)}>
                {t("editor.cancelSession", { id: session.id })}
              </button>
            )
          }
          itemFooter={(session) =>
            session.cancelledAt && <p className="wide">{t("editor.sessionCancelled")}</p>
          }
        >
          {(session, index, updateSession) => (
            <>
              <Field
                label={t("editor.sessionId")}
                value={session.id}
                required
                errors={issues.get(`sessions.${index}.id`)}
                onChange={(change) => updateSession({ id: change.target.value })}
              />
              <SelectField
                label={t("editor.language")}
                value={session.language}
                options={languages.map((language) => ({
                  value: language,
                  label: t(`languages.${language}`),
                }))}
                errors={issues.get(`sessions.${index}.language`)}
                onChange={(change) => updateSession({ language: change.target.value as Language })}
              />
              <Field
                label={t("editor.start")}
                hint={t("editor.startHint")}
                type="datetime-local"
                value={session.localStart}
                required
                errors={issues.get(`sessions.${index}.startsAt`)}
                onChange={(change) => updateSession({ localStart: change.target.value })}
              />
              <TimeZonePicker
                label={t("editor.timezone")}
                value={session.timezone}
                errors={issues.get(`sessions.${index}.timezone`)}
                onChange={(timezone) => updateSession({ timezone })}
              />
              <Field
                label={t("editor.duration")}
                type="number"
                min={1}
                value={session.durationMinutes}
                errors={issues.get(`sessions.${index}.durationMinutes`)}
                onChange={(change) => updateSession({ durationMinutes: change.target.value })}
              />
              <Field
                label={t("editor.capacity")}
                hint={t("editor.capacityHint")}
                type="number"
                min={1}
                value={session.capacity}
                errors={issues.get(`sessions.${index}.capacity`)}
                onChange={(change) => updateSession({ capacity: change.target.value })}
              />
              <Field
                label={t("editor.joinUrl")}
                type="url"
                dir="ltr"
                className="wide"
                value={session.joinUrl}
                required
                errors={issues.get(`sessions.${index}.joinUrl`)}
                onChange={(change) => updateSession({ joinUrl: change.target.value })}
              />
              <AgendaEditor
                parts={session.agenda}
                onChange={(agenda) => updateSession({ agenda })}
                issues={issues}
                path={`sessions.${index}.agenda`}
                sessionId={session.id || String(index + 1)}
                startsAt={
                  session.localStart ? fromZonedInput(session.localStart, session.timezone) : undefined
                }
                timezone={session.timezone}
                durationMinutes={Number(session.durationMinutes) || 0}
              />
            </>
          )}
        </RepeatedGroup>
        <fieldset className="grid-2">
          <legend>{t("editor.settings")}</legend>
          <Field
            label={t("editor.reminders")}
            hint={t("editor.remindersHint")}
            value={draft.reminders}
            errors={issuesUnder("reminders")}
            onChange={(change) => update({ reminders: change.target.value })}
          />
          <Field
            label={t("editor.threshold")}
            type="number"
            min={0}
            value={draft.attendanceMinMinutes}
            errors={issues.get("attendanceMinMinutes")}
            onChange={(change) => update({ attendanceMinMinutes: change.target.value })}
          />
        </fieldset>
        <FormEditor draft={draft.form} issues={issues} onChange={(form) => update({ form })} />
        <div className="actions">
          {/* Not `disabled` while saving: a disabled button drops the keyboard's focus to the page. */}
          <button type="submit" className="primary" aria-disabled={save.isPending || undefined}>
            {isNew ? t("editor.create") : t("editor.save")}
          </button>
          {!isNew && (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              {t("editor.delete")}
            </button>
          )}
          {event && <PreviewLinks event={event} />}
        </div>
        <p role="status">{saved ? t("editor.saved") : ""}</p>
        <ErrorMessage error={remove.error} />
        <ErrorMessage error={cancelSession.error} />
      </form>
      <ConfirmDialog
        isOpen={confirmCancel !== undefined}
        onOpenChange={(open) => !open && setConfirmCancel(undefined)}
        title={t("editor.cancelSessionTitle", { id: confirmCancel })}
        confirmLabel={t("editor.cancelSessionConfirm")}
        pending={cancelSession.isPending}
        onConfirm={() => confirmCancel && cancelSession.mutate(confirmCancel)}
      >
        <p>{t("editor.cancelSessionBody")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={t("editor.deleteTitle", { id: draft.id })}
        confirmLabel={t("editor.deleteConfirm")}
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <p>{t("editor.deleteBody")}</p>
      </ConfirmDialog>
    </Page>
  );
}

/**
 * Links to the event's public page in each of its languages, as registrants see it once saved
 * (what the page shows is the saved event, not the form's unsaved changes).
 */
function PreviewLinks({ event }: { event: WebinarEvent }) {
  const { t } = useTranslation();
  const api = useApi();
  const eventLanguages = languages.filter((language) => event.title[language]);
  return (
    <p className="preview-links">
      <span>{t("editor.preview")}</span>
      {eventLanguages.map((language) => (
        <a
          key={language}
          className="preview-link"
          href={api.publicEventUrl(event.id, language)}
          target="_blank"
          rel="noreferrer"
          hrefLang={language}
          aria-label={`${t("editor.previewIn", { language: t(`languageInText.${language}`) })} ${t("common.newWindow")}`}
        >
          {t(`languages.${language}`)}
        </a>
      ))}
    </p>
  );
}
