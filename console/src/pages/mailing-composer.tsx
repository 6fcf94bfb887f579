import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router";
import { type Language, languages } from "#shared/domain/languages";
import { registrationStatuses } from "#shared/domain/registration";
import {
  linkPlaceholderPrefix,
  mailingInputSchema,
  mailingPlaceholders,
  segmentAttendances,
  type segmentUpdates,
} from "#shared/mailings/content/mailing-input";
import { ApiError, issuesOf, type Mailing, type MailingInput, useApi } from "../api.ts";
import { ErrorMessage, Field, FieldErrors, Loading, Page, TextAreaField } from "../components.tsx";
import { formatNumber } from "../format.ts";

type Segment = NonNullable<MailingInput["segment"]>;

interface Draft {
  name: string;
  attendance: (typeof segmentAttendances)[number];
  /** Empty: every session of the event, including sessions added later. */
  sessions: string[];
  statuses: (typeof registrationStatuses)[number][];
  updates: (typeof segmentUpdates)[number];
  languages: Language[];
  subject: Partial<Record<Language, string>>;
  body: Partial<Record<Language, string>>;
  /** `uid` keeps each link's inputs in place while others are added or removed. */
  links: { uid: number; name: string; url: string }[];
}

let lastUid = 0;
const uid = () => ++lastUid;

function draftOf(mailing: Mailing | undefined): Draft {
  return {
    name: mailing?.name ?? "",
    attendance: mailing?.segment.attendance ?? "any",
    sessions: mailing?.segment.sessions ?? [],
    statuses: mailing?.segment.statuses ?? ["confirmed"],
    languages: mailing?.segment.languages ?? [...languages],
    updates: mailing?.segment.updates ?? "any",
    subject: mailing?.subject ?? {},
    body: mailing?.body ?? {},
    links: Object.entries<string>(mailing?.links ?? {}).map(([name, url]) => ({ uid: uid(), name, url })),
  };
}

const segmentOf = (draft: Draft): Segment => ({
  attendance: draft.attendance,
  ...(draft.sessions.length > 0 && { sessions: draft.sessions }),
  statuses: draft.statuses,
  languages: draft.languages,
  updates: draft.updates,
});

const given = (texts: Partial<Record<Language, string>>) =>
  Object.fromEntries(Object.entries(texts).filter(([, text]) => text?.trim())) as MailingInput["subject"];

/** The body of the create and edit routes: the API's own input type. */
function inputOf(draft: Draft): MailingInput {
  const links = draft.links.filter((link) => link.name.trim() || link.url.trim());
  return {
    name: draft.name,
    segment: segmentOf(draft),
    subject: given(draft.subject),
    body: given(draft.body),
    ...(links.length > 0 && {
      links: Object.fromEntries(links.map((link) => [link.name.trim(), link.url.trim()])),
    }),
  };
}

function validate(draft: Draft): ApiError | undefined {
  const result = mailingInputSchema.safeParse(inputOf(draft));
  if (result.success) return undefined;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  return new ApiError(400, "validation", "", issues);
}

/** New draft, or edit one that has not been sent. */
export function MailingComposerPage() {
  const { eventId = "", mailingId } = useParams();
  const api = useApi();
  const mailing = useQuery({
    queryKey: ["mailing", eventId, mailingId],
    queryFn: () => api.getMailing(eventId, mailingId ?? ""),
    enabled: mailingId !== undefined,
  });
  if (mailingId !== undefined && !mailing.data) {
    return mailing.isPending ? <Loading /> : <ErrorMessage error={mailing.error} />;
  }
  return <Composer eventId={eventId} mailing={mailing.data} />;
}

function Composer({ eventId, mailing }: { eventId: string; mailing: Mailing | undefined }) {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const event = useQuery({ queryKey: ["event", eventId], queryFn: () => api.getEvent(eventId) });
  const [draft, setDraft] = useState(() => draftOf(mailing));
  const [problems, setProblems] = useState<ApiError | undefined>();
  const bodies = useRef<Partial<Record<Language, HTMLTextAreaElement | null>>>({});
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  // The live count of the segment, asked again a moment after the organiser stops changing it.
  const segment = segmentOf(draft);
  const segmentKey = JSON.stringify(segment);
  const [countedSegment, setCountedSegment] = useState(segment);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the segment.
  useEffect(() => {
    const timer = setTimeout(() => setCountedSegment(segment), 300);
    return () => clearTimeout(timer);
  }, [segmentKey]);
  const count = useQuery({
    queryKey: ["segment-count", eventId, countedSegment],
    queryFn: ({ signal }) => api.segmentCount(eventId, countedSegment, signal),
    enabled: draft.statuses.length > 0 && draft.languages.length > 0,
  });

  const save = useMutation({
    mutationFn: (input: MailingInput) =>
      mailing ? api.updateMailing(eventId, mailing.mailingId, input) : api.createMailing(eventId, input),
    onSuccess: async ({ mailingId }) => {
      await queryClient.invalidateQueries({ queryKey: ["mailings", eventId] });
      await queryClient.invalidateQueries({ queryKey: ["mailing", eventId, mailingId] });
      void navigate(`/events/${encodeURIComponent(eventId)}/mailings/${mailingId}`);
    },
    onError: (error) => setProblems(error instanceof ApiError ? error : undefined),
  });
  const issues = issuesOf(problems);
  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    const invalid = validate(draft);
    setProblems(invalid);
    if (!invalid) save.mutate(inputOf(draft));
  };

  /** Puts a placeholder where the cursor is in a body, as if typed. */
  const insert = (language: Language, placeholder: string) => {
    const area = bodies.current[language];
    const text = draft.body[language] ?? "";
    const at = area?.selectionStart ?? text.length;
    const token = `{{${placeholder}}}`;
    update({ body: { ...draft.body, [language]: `${text.slice(0, at)}${token}${text.slice(at)}` } });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + token.length, at + token.length);
    });
  };
  const toggle = <T extends string>(list: T[], value: T, on: boolean) =>
    on ? [...list, value] : list.filter((item) => item !== value);
  const linkNames = draft.links.map((link) => link.name.trim()).filter(Boolean);
  const placeholders = [
    ...mailingPlaceholders,
    ...linkNames.map((name) => `${linkPlaceholderPrefix}${name}`),
  ];

  return (
    <Page title={mailing ? t("composer.editTitle", { name: mailing.name }) : t("composer.newTitle")}>
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
          label={t("composer.name")}
          hint={t("composer.nameHint")}
          value={draft.name}
          required
          errors={issues.get("name")}
          onChange={(change) => update({ name: change.target.value })}
        />
        <fieldset>
          <legend>{t("composer.audience")}</legend>
          <fieldset className="choices">
            <legend>{t("composer.attendance")}</legend>
            {segmentAttendances.map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name="attendance"
                  value={value}
                  checked={draft.attendance === value}
                  onChange={() => update({ attendance: value })}
                />
                {t(`composer.attendances.${value}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="choices">
            <legend>{t("composer.sessions")}</legend>
            <span className="hint">{t("composer.sessionsHint")}</span>
            {event.data?.sessions.map((session) => (
              <label key={session.id}>
                <input
                  type="checkbox"
                  checked={draft.sessions.includes(session.id)}
                  onChange={(change) =>
                    update({ sessions: toggle(draft.sessions, session.id, change.target.checked) })
                  }
                />
                {session.id}
              </label>
            ))}
          </fieldset>
          <fieldset className="choices">
            <legend>{t("composer.statuses")}</legend>
            {registrationStatuses.map((status) => (
              <label key={status}>
                <input
                  type="checkbox"
                  checked={draft.statuses.includes(status)}
                  onChange={(change) =>
                    update({ statuses: toggle(draft.statuses, status, change.target.checked) })
                  }
                />
                {t(`statuses.${status}`)}
              </label>
            ))}
            <FieldErrors id="statuses-error" messages={issues.get("segment.statuses")} />
          </fieldset>
          <fieldset className="choices">
            <legend>{t("composer.languages")}</legend>
            {languages.map((language) => (
              <label key={language}>
                <input
                  type="checkbox"
                  checked={draft.languages.includes(language)}
                  onChange={(change) =>
                    update({ languages: toggle(draft.languages, language, change.target.checked) })
                  }
                />
                {t(`languages.${language}`)}
              </label>
            ))}
            <FieldErrors id="languages-error" messages={issues.get("segment.languages")} />
          </fieldset>
          <fieldset className="choices">
            <legend>{t("composer.updates")}</legend>
            <span className="hint">{t("composer.updatesHint")}</span>
            <label>
              <input
                type="checkbox"
                checked={draft.updates === "opted-in"}
                onChange={(change) => update({ updates: change.target.checked ? "opted-in" : "any" })}
              />
              {t("composer.updatesOnly")}
            </label>
          </fieldset>
          <p className="count" role="status" aria-live="polite">
            {count.data
              ? t("composer.count", {
                  count: count.data.recipients,
                  formatted: formatNumber(count.data.recipients),
                })
              : count.isError
                ? t("composer.countUnavailable")
                : t("composer.counting")}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t("composer.links")}</legend>
          <span className="hint">
            {t("composer.linksHint")} <code>{"{{links.name}}"}</code>
          </span>
          {draft.links.map((link, index) => (
            <div key={link.uid} className="grid-3">
              <Field
                label={t("composer.linkName", { number: index + 1 })}
                value={link.name}
                errors={issues.get(`links.${link.name.trim()}`)}
                onChange={(change) =>
                  update({
                    links: draft.links.map((item, at) =>
                      at === index ? { ...item, name: change.target.value } : item,
                    ),
                  })
                }
              />
              <Field
                label={t("composer.linkUrl", { number: index + 1 })}
                type="url"
                value={link.url}
                onChange={(change) =>
                  update({
                    links: draft.links.map((item, at) =>
                      at === index ? { ...item, url: change.target.value } : item,
                    ),
                  })
                }
              />
              <div>
                <button
                  type="button"
                  onClick={() => update({ links: draft.links.filter((_, at) => at !== index) })}
                >
                  {t("composer.removeLink", { number: index + 1 })}
                </button>
              </div>
            </div>
          ))}
          <FieldErrors id="links-error" messages={issues.get("links")} />
          <div>
            <button
              type="button"
              onClick={() => update({ links: [...draft.links, { uid: uid(), name: "", url: "" }] })}
            >
              {t("composer.addLink")}
            </button>
          </div>
        </fieldset>
        <FieldErrors
          id="content-error"
          messages={[...(issues.get("subject") ?? []), ...(issues.get("body") ?? [])]}
        />
        {languages.map((language) => (
          <fieldset key={language}>
            <legend>{t("composer.contentIn", { language: t(`languageInText.${language}`) })}</legend>
            <Field
              label={t("composer.subject", { language: t(`languageInText.${language}`) })}
              value={draft.subject[language] ?? ""}
              errors={issues.get(`subject.${language}`)}
              onChange={(change) =>
                update({ subject: { ...draft.subject, [language]: change.target.value } })
              }
            />
            <TextAreaField
              label={t("composer.body", { language: t(`languageInText.${language}`) })}
              hint={t("composer.bodyHint")}
              rows={8}
              value={draft.body[language] ?? ""}
              errors={issues.get(`body.${language}`)}
              textareaRef={(element) => {
                bodies.current[language] = element;
              }}
              onChange={(change) => update({ body: { ...draft.body, [language]: change.target.value } })}
            />
            <label className="inline">
              {t("composer.insert", { language: t(`languageInText.${language}`) })}{" "}
              <select
                value=""
                onChange={(change) => {
                  if (change.target.value) insert(language, change.target.value);
                }}
              >
                <option value="">{t("composer.choosePlaceholder")}</option>
                {placeholders.map((placeholder) => (
                  <option key={placeholder} value={placeholder}>
                    {`{{${placeholder}}}`}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        ))}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t("composer.save")}
          </button>
        </div>
      </form>
    </Page>
  );
}
