import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { EventInput } from "#shared/domain/event";
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
import { filledTexts, LanguageFields, type Texts } from "../components/language-fields.tsx";
import { newUid, RepeatedGroup } from "../components/repeated-group.tsx";
import { Field, FieldErrors, SelectField } from "../components.tsx";
import { fromZonedInput, toZonedInput } from "../format.ts";

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

const hasChoices = (type: QuestionType) => type === "single-choice" || type === "multiple-choice";
const isText = (type: QuestionType) => type === "short-text" || type === "long-text";

const newChoice = (index: number): ChoiceDraft => ({ uid: newUid(), id: `choice-${index + 1}`, label: {} });

const newQuestion = (index: number): QuestionDraft => ({
  uid: newUid(),
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
      uid: newUid(),
      id: question.id,
      type: question.type,
      required: question.required,
      maxLength: "maxLength" in question ? String(question.maxLength) : "",
      label: question.label,
      choices:
        "choices" in question
          ? question.choices.map((choice) => ({ uid: newUid(), id: choice.id, label: choice.label }))
          : [newChoice(0), newChoice(1)],
    })),
    opensAt: event?.registrationOpensAt ? toZonedInput(event.registrationOpensAt, browserZone) : "",
    closesAt: event?.registrationClosesAt ? toZonedInput(event.registrationClosesAt, browserZone) : "",
    kept,
  };
}

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
    label: filledTexts(question.label),
    ...(isText(question.type) && question.maxLength.trim() && { maxLength: Number(question.maxLength) }),
    ...(hasChoices(question.type) && {
      choices: question.choices.map((choice) => ({ id: choice.id, label: filledTexts(choice.label) })),
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
      <RepeatedGroup
        items={draft.questions}
        onChange={(questions) => update({ questions })}
        legend={(_, index) => t("formEditor.question", { number: index + 1 })}
        create={newQuestion}
        addLabel={t("formEditor.addQuestion")}
        labels={{
          moveUp: (question) => t("formEditor.moveUp", { id: question.id }),
          moveDown: (question) => t("formEditor.moveDown", { id: question.id }),
          remove: (question) => t("formEditor.removeQuestion", { id: question.id }),
        }}
        errors={issues.get("form.questions")}
        errorsId="form-questions-error"
      >
        {(question, index, updateQuestion) => {
          const path = `form.questions.${index}`;
          return (
            <>
              <Field
                label={t("formEditor.questionId")}
                hint={t("formEditor.questionIdHint")}
                value={question.id}
                required
                errors={issues.get(`${path}.id`)}
                onChange={(change) => updateQuestion({ id: change.target.value })}
              />
              <SelectField
                label={t("formEditor.type")}
                value={question.type}
                options={questionTypes.map((type) => ({ value: type, label: t(`formEditor.types.${type}`) }))}
                errors={issues.get(`${path}.type`)}
                onChange={(change) => updateQuestion({ type: change.target.value as QuestionType })}
              />
              <Checkbox
                label={t("formEditor.required")}
                checked={question.required}
                onChange={(required) => updateQuestion({ required })}
              />
              <LanguageFields
                label={(language) => t("formEditor.labelIn", { language })}
                values={question.label}
                issues={issues}
                path={`${path}.label`}
                onChange={(label) => updateQuestion({ label })}
              />
              {isText(question.type) && (
                <Field
                  label={t("formEditor.maxLength")}
                  hint={t("formEditor.maxLengthHint")}
                  type="number"
                  min={1}
                  value={question.maxLength}
                  errors={issues.get(`${path}.maxLength`)}
                  onChange={(change) => updateQuestion({ maxLength: change.target.value })}
                />
              )}
              {hasChoices(question.type) && (
                <fieldset className="wide">
                  <legend>{t("formEditor.choices")}</legend>
                  <RepeatedGroup
                    items={question.choices}
                    onChange={(choices) => updateQuestion({ choices })}
                    legend={(_, number) => t("formEditor.choice", { number: number + 1 })}
                    create={newChoice}
                    addLabel={t("formEditor.addChoice")}
                    labels={{
                      remove: (choice, at) => t("formEditor.removeChoice", { id: choice.id || at + 1 }),
                    }}
                    minItems={2}
                    errors={issues.get(`${path}.choices`)}
                    errorsId={`${path}.choices-error`}
                  >
                    {(choice, at, updateChoice) => (
                      <>
                        <Field
                          label={t("formEditor.choiceId", { number: at + 1 })}
                          value={choice.id}
                          required
                          errors={issues.get(`${path}.choices.${at}.id`)}
                          onChange={(change) => updateChoice({ id: change.target.value })}
                        />
                        <LanguageFields
                          label={(language) => t("formEditor.choiceLabelIn", { number: at + 1, language })}
                          values={choice.label}
                          issues={issues}
                          path={`${path}.choices.${at}.label`}
                          onChange={(label) => updateChoice({ label })}
                        />
                      </>
                    )}
                  </RepeatedGroup>
                </fieldset>
              )}
            </>
          );
        }}
      </RepeatedGroup>
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
