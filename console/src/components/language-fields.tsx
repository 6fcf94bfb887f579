import { useId } from "react";
import { useTranslation } from "react-i18next";
import { directions, type Language, languages } from "#shared/domain/languages";
import { Field, FieldErrors, TextAreaField } from "../components.tsx";

/** A text per language as the editors hold it: a language left empty is not sent. */
export type Texts = Partial<Record<Language, string>>;

/** The texts given, without the empty ones (the API takes only the languages an event has). */
export const filledTexts = (values: Texts): Texts =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value?.trim()));

interface LanguageFieldsProps {
  /** The label of one language's input, from the language's name ("Title in French"). */
  label: (language: string) => string;
  values: Texts;
  onChange: (values: Texts) => void;
  /** The API's messages by dotted path; each language's input shows those of `{path}.{language}`. */
  issues: Map<string, string[]>;
  path: string;
  /** Several lines (a description), else one. */
  rows?: number;
  hint?: string;
  className?: string;
}

/**
 * One input per language of the console's languages for one text (a title, a label, an alt
 * text), each labelled with its language and showing its own problems; the problems of the text
 * as a whole (none given in any language) are shown before them and read out with each.
 */
export function LanguageFields({
  label,
  values,
  onChange,
  issues,
  path,
  rows,
  hint,
  className,
}: LanguageFieldsProps) {
  const { t } = useTranslation();
  const errorsId = useId();
  const errors = issues.get(path);
  return (
    <>
      <FieldErrors id={errorsId} messages={errors} />
      {languages.map((language) => {
        const common = {
          label: label(t(`languageInText.${language}`)),
          lang: language,
          // Typed in its own direction (Arabic right to left), whatever the console's language.
          dir: directions[language],
          value: values[language] ?? "",
          errors: issues.get(`${path}.${language}`),
          ...(errors?.length && { "aria-describedby": errorsId, "aria-invalid": true }),
          ...(hint && { hint }),
        };
        return rows ? (
          <TextAreaField
            key={language}
            {...common}
            rows={rows}
            onChange={(change) => onChange({ ...values, [language]: change.target.value })}
          />
        ) : (
          <Field
            key={language}
            {...common}
            {...(className && { className })}
            onChange={(change) => onChange({ ...values, [language]: change.target.value })}
          />
        );
      })}
    </>
  );
}
