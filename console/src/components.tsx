import { type ReactNode, useEffect, useId, useRef } from "react";
import {
  Button,
  ComboBox,
  Dialog,
  Heading,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Modal,
  ModalOverlay,
  Popover,
} from "react-aria-components";
import { useTranslation } from "react-i18next";
import { ApiError } from "./api.ts";
import { timeZones } from "./format.ts";

/**
 * A page of the console: its title in the tab and as its one heading, which takes the focus when
 * the page opens, so that a screen reader announces where a link led (a single-page app has no
 * page load to do it).
 */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Convene`;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <>
      <div className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div className="actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}

/** Waiting for the API: announced politely, once. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="muted">
      {t("common.loading")}
    </p>
  );
}

/** A failed request in words, announced at once; nothing is ever left blank. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.status === 404
        ? t("errors.notFound")
        : error.code === "event-changed"
          ? t("errors.eventChanged")
          : error.message
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div role="alert" className="error">
      <p>{message}</p>
      {error instanceof ApiError && error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path && <code>{issue.path}</code>} {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The problems of one field, tied to it by `aria-describedby`. */
export function FieldErrors({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <span id={id} className="field-error">
      {messages.join(" ")}
    </span>
  );
}

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  errors?: string[];
  hint?: string;
}

/**
 * The ids an input is described by: its hint, its problems, and any it is given (the problems of
 * the group it belongs to, such as a text missing in every language).
 */
const describedByOf = (id: string, hint: string | undefined, errors: string[] | undefined, more?: string) =>
  [hint && `${id}-hint`, errors?.length && `${id}-error`, more].filter(Boolean).join(" ") || undefined;

/** A labelled input with its hint and its problems, both read out with it. */
export function Field({
  label,
  errors,
  hint,
  className,
  "aria-describedby": more,
  "aria-invalid": invalid,
  ...input
}: FieldProps) {
  const id = useId();
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <input
        id={id}
        aria-invalid={errors?.length || invalid ? true : undefined}
        aria-describedby={describedByOf(id, hint, errors, more)}
        {...input}
      />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

interface TextAreaFieldProps extends Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  label: string;
  errors?: string[];
  hint?: string;
  textareaRef?: React.Ref<HTMLTextAreaElement>;
}

export function TextAreaField({
  label,
  errors,
  hint,
  textareaRef,
  "aria-describedby": more,
  "aria-invalid": invalid,
  ...textarea
}: TextAreaFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <textarea
        id={id}
        ref={textareaRef}
        aria-invalid={errors?.length || invalid ? true : undefined}
        aria-describedby={describedByOf(id, hint, errors, more)}
        {...textarea}
      />
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

interface SelectFieldProps extends Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  errors?: string[];
  options: { value: string; label: string }[];
}

export function SelectField({ label, errors, options, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} messages={errors} />
    </div>
  );
}

/** A searchable list of every IANA time zone: typing "paris" finds Europe/Paris. */
export function TimeZonePicker({
  label,
  value,
  onChange,
  errors,
}: {
  label: string;
  value: string;
  onChange: (zone: string) => void;
  errors?: string[];
}) {
  const errorId = useId();
  return (
    <ComboBox
      className="field"
      defaultItems={timeZones.map((zone) => ({ id: zone, name: zone.replaceAll("_", " ") }))}
      selectedKey={value}
      defaultInputValue={value.replaceAll("_", " ")}
      onSelectionChange={(key) => key !== null && onChange(String(key))}
      isInvalid={Boolean(errors?.length)}
      menuTrigger="focus"
    >
      <Label>{label}</Label>
      <div className="combobox">
        <Input className="combobox-input" aria-describedby={errors?.length ? errorId : undefined} />
        <Button className="combobox-button" aria-label={label}>
          ▾
        </Button>
      </div>
      <FieldErrors id={errorId} messages={errors} />
      <Popover className="popover">
        <ListBox className="listbox">
          {(item: { id: string; name: string }) => (
            <ListBoxItem className="option" id={item.id}>
              {item.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

/**
 * A dangerous action asks first, naming its consequence; the safe choice has the focus, so that
 * pressing Enter by habit never sends a mailing or deletes an event.
 */
export function ConfirmDialog({
  isOpen,
  onOpenChange,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending,
}: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ModalOverlay className="overlay" isOpen={isOpen} onOpenChange={onOpenChange} isDismissable>
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">{title}</Heading>
              <div>{children}</div>
              <div className="actions">
                {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a dialog that sends or deletes. */}
                <button type="button" autoFocus onClick={close}>
                  {t("common.cancel")}
                </button>
                <button type="button" className="danger" disabled={pending} onClick={onConfirm}>
                  {confirmLabel}
                </button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/** A table wider than a phone scrolls by itself, and can be scrolled with the keyboard. */
export function TableScroller({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take the focus to be scrolled with the keyboard (WCAG 2.1.1).
    <section className="table-scroller" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
