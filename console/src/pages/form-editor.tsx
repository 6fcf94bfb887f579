import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { EventInput } from "#shared/domain/event";
import { type Language, languages } from "#shared/domain/languages";
import {
  defaultFieldModes,
  type FieldMode,
  type FormSettings,
  fieldModes,
  type QuestionType,
  questionTypes,
  type StandardField,
  standardFields,
} from "#shared/domain/registration-form";
import type { WebinarEvent } from "../api.ts";
import { Field, FieldErrors, SelectField } from "../components.tsx";
import { fromZonedInput, toZonedInput } from "../format.ts";

type Texts = Partial<Record<Language, string>>;

interface ChoiceDraft {
  uid: number;
  id: string;
  label: Texts;
}

interface QuestionDraft {
  uid: number;
  id: string;
  type: QuestionType;
  required: boolean;
  maxLength: string;
  label: Texts;
  choices: ChoiceDraft[];
}

/** The registration form as the editor holds it; what it does not edit (intro, examples, shortlist) is kept as is. */
export interface FormDraft {
  fields: Record<StandardField, FieldMode>;
  questions: QuestionDraft[];
  /** `datetime-local` values on the organiser's own clock. */
  opensAt: string;
  closesAt: string;
  kept: Omit<FormSettings, "fields" | "questions">;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

let lastUid = 0;
const uid = () => ++lastUid;

const hasChoices = (type: QuestionType) => type === "single-choice" || type === "multiple-choice";
const isText = (type: QuestionType) => type === "short-text" || type === "long-text";

const newChoice = (index: number): ChoiceDraft => ({ uid: uid(), id: `choice-${index + 1}`, label: {} });

const newQuestion = (index: number): QuestionDraft => ({
  uid: uid(),
  id: `question-${index + 1}`,
  type: "short-text",
  required: false,
  maxLength: "",
  label: {},
  choices: [newChoice(0), newChoice(1)],
});

export function formDraftOf(event: WebinarEvent | undefined): FormDraft {
  const { fields, questions = [], ...kept } = event?.form ?? {};
  return {
    fields: { ...defaultFieldModes, ...fields },
    questions: questions.map((question) => ({
      uid: uid(),
      id: question.id,
      type: question.type,
      required: question.required,
      maxLength: "maxLength" in question ? String(question.maxLength) : "",
      label: question.label,
      choices:
        "choices" in question
          ? question.choices.map((choice) => ({ uid: uid(), id: choice.id, label: choice.label }))
          : [newChoice(0), newChoice(1)],
    })),
    opensAt: event?.registrationOpensAt ? toZonedInput(event.registrationOpensAt, browserZone) : "",
    closesAt: event?.registrationClosesAt ? toZonedInput(event.registrationClosesAt, browserZone) : "",
    kept,
  };
}

const texts = (values: Texts) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value?.trim())) as Texts;

/**
 * The event's form and window as the API takes them. A field left as it is by default is not
 * written, so an event whose form nobody changed still "says nothing" and keeps today's form.
 */
export function formInputOf(
  draft: FormDraft,
): Pick<EventInput, "form" | "registrationOpensAt" | "registrationClosesAt"> {
  const fields = Object.fromEntries(
    standardFields
      .filter((field) => draft.fields[field] !== defaultFieldModes[field])
      .map((field) => [field, draft.fields[field]]),
  );
  const questions = draft.questions.map((question) => ({
    id: question.id,
    type: question.type,
    required: question.required,
    label: texts(question.label),
    ...(isText(question.type) && question.maxLength.trim() && { maxLength: Number(question.maxLength) }),
    ...(hasChoices(question.type) && {
      choices: question.choices.map((choice) => ({ id: choice.id, label: texts(choice.label) })),
    }),
  })) as NonNullable<EventInput["form"]>["questions"];
  const form = {
    ...draft.kept,
    ...(Object.keys(fields).length > 0 && { fields }),
    ...(questions?.length && { questions }),
  };
  return {
    ...(Object.keys(form).length > 0 && { form }),
    ...(draft.opensAt && { registrationOpensAt: fromZonedInput(draft.opensAt, browserZone) }),
    ...(draft.closesAt && { registrationClosesAt: fromZonedInput(draft.closesAt, browserZone) }),
  };
}

interface FormEditorProps {
  draft: FormDraft;
  onChange: (draft: FormDraft) => void;
  /** The API's (or the same local check's) messages by dotted path. */
  issues: Map<string, string[]>;
}

/** The standard fields asked, the event's own questions, and the registration window. */
export function FormEditor({ draft, onChange, issues }: FormEditorProps) {
  const { t } = useTranslation();
  const update = (change: Partial<FormDraft>) => onChange({ ...draft, ...change });
  const updateQuestion = (index: number, change: Partial<QuestionDraft>) =>
    update({
      questions: draft.questions.map((question, at) =>
        at === index ? { ...question, ...change } : question,
      ),
    });
  const move = (index: number, by: -1 | 1) => {
    const questions = [...draft.questions];
    const [question] = questions.splice(index, 1);
    if (question) questions.splice(index + by, 0, question);
    update({ questions });
  };

  return (
    <>
      <fieldset className="grid-3">
        <legend>{t("formEditor.fields")}</legend>
        <FieldErrors id="form-fields-error" messages={issues.get("form.fields")} />
        {standardFields.map((field) => (
          <SelectField
            key={field}
            label={t(`formEditor.field.${field}`)}
            value={draft.fields[field]}
            options={fieldModes.map((mode) => ({ value: mode, label: t(`formEditor.mode.${mode}`) }))}
            errors={issues.get(`form.fields.${field}`)}
            onChange={(change) =>
              update({ fields: { ...draft.fields, [field]: change.target.value as FieldMode } })
            }
          />
        ))}
      </fieldset>
      <FieldErrors id="form-questions-error" messages={issues.get("form.questions")} />
      {draft.questions.map((question, index) => {
        const path = `form.questions.${index}`;
        return (
          <fieldset key={question.uid} className="grid-3">
            <legend>{t("formEditor.question", { number: index + 1 })}</legend>
            <Field
              label={t("formEditor.questionId")}
              hint={t("formEditor.questionIdHint")}
              value={question.id}
              required
              errors={issues.get(`${path}.id`)}
              onChange={(change) => updateQuestion(index, { id: change.target.value })}
            />
            <SelectField
              label={t("formEditor.type")}
              value={question.type}
              options={questionTypes.map((type) => ({ value: type, label: t(`formEditor.types.${type}`) }))}
              errors={issues.get(`${path}.type`)}
              onChange={(change) => updateQuestion(index, { type: change.target.value as QuestionType })}
            />
            <Checkbox
              label={t("formEditor.required")}
              checked={question.required}
              onChange={(required) => updateQuestion(index, { required })}
            />
            {languages.map((language) => (
              <Field
                key={language}
                label={t("formEditor.labelIn", { language: t(`languages.${language}`) })}
                value={question.label[language] ?? ""}
                errors={issues.get(`${path}.label.${language}`)}
                onChange={(change) =>
                  updateQuestion(index, { label: { ...question.label, [language]: change.target.value } })
                }
              />
            ))}
            <FieldErrors id={`${path}-label-error`} messages={issues.get(`${path}.label`)} />
            {isText(question.type) && (
              <Field
                label={t("formEditor.maxLength")}
                hint={t("formEditor.maxLengthHint")}
                type="number"
                min={1}
                value={question.maxLength}
                errors={issues.get(`${path}.maxLength`)}
                onChange={(change) => updateQuestion(index, { maxLength: change.target.value })}
              />
            )}
            {hasChoices(question.type) && (
              <ChoicesEditor
                choices={question.choices}
                path={`${path}.choices`}
                issues={issues}
                onChange={(choices) => updateQuestion(index, { choices })}
              />
            )}
            <div className="actions wide">
              <button type="button" disabled={index === 0} onClick={() => move(index, -1)}>
                {t("formEditor.moveUp", { id: question.id })}
              </button>
              <button
                type="button"
                disabled={index === draft.questions.length - 1}
                onClick={() => move(index, 1)}
              >
                {t("formEditor.moveDown", { id: question.id })}
              </button>
              <button
                type="button"
                onClick={() => update({ questions: draft.questions.filter((_, at) => at !== index) })}
              >
                {t("formEditor.removeQuestion", { id: question.id })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <button
          type="button"
          onClick={() => update({ questions: [...draft.questions, newQuestion(draft.questions.length)] })}
        >
          {t("formEditor.addQuestion")}
        </button>
      </div>
      <fieldset className="grid-2">
        <legend>{t("formEditor.window")}</legend>
        <Field
          label={t("formEditor.opensAt")}
          hint={t("formEditor.windowHint", { zone: browserZone })}
          type="datetime-local"
          value={draft.opensAt}
          errors={issues.get("registrationOpensAt")}
          onChange={(change) => update({ opensAt: change.target.value })}
        />
        <Field
          label={t("formEditor.closesAt")}
          hint={t("formEditor.windowHint", { zone: browserZone })}
          type="datetime-local"
          value={draft.closesAt}
          errors={issues.get("registrationClosesAt")}
          onChange={(change) => update({ closesAt: change.target.value })}
        />
      </fieldset>
    </>
  );
}

function ChoicesEditor({
  choices,
  path,
  issues,
  onChange,
}: {
  choices: ChoiceDraft[];
  path: string;
  issues: Map<string, string[]>;
  onChange: (choices: ChoiceDraft[]) => void;
}) {
  const { t } = useTranslation();
  const updateChoice = (index: number, change: Partial<ChoiceDraft>) =>
    onChange(choices.map((choice, at) => (at === index ? { ...choice, ...change } : choice)));
  return (
    <fieldset className="wide grid-3">
      <legend>{t("formEditor.choices")}</legend>
      <FieldErrors id={`${path}-error`} messages={issues.get(path)} />
      {choices.map((choice, index) => (
        <div key={choice.uid} className="stack">
          <Field
            label={t("formEditor.choiceId", { number: index + 1 })}
            value={choice.id}
            required
            errors={issues.get(`${path}.${index}.id`)}
            onChange={(change) => updateChoice(index, { id: change.target.value })}
          />
          {languages.map((language) => (
            <Field
              key={language}
              label={t("formEditor.choiceLabelIn", {
                number: index + 1,
                language: t(`languages.${language}`),
              })}
              value={choice.label[language] ?? ""}
              errors={issues.get(`${path}.${index}.label.${language}`)}
              onChange={(change) =>
                updateChoice(index, { label: { ...choice.label, [language]: change.target.value } })
              }
            />
          ))}
          {choices.length > 2 && (
            <button type="button" onClick={() => onChange(choices.filter((_, at) => at !== index))}>
              {t("formEditor.removeChoice", { id: choice.id || index + 1 })}
            </button>
          )}
        </div>
      ))}
      <div>
        <button type="button" onClick={() => onChange([...choices, newChoice(choices.length)])}>
          {t("formEditor.addChoice")}
        </button>
      </div>
    </fieldset>
  );
}

function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(change) => onChange(change.target.checked)}
      />{" "}
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
