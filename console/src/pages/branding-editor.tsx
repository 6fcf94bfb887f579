import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { contrastRatio, defaultAccentColour, minimumContrast } from "#shared/domain/branding";
import type { EventInput, WebinarEvent } from "../api.ts";
import { filledTexts, LanguageFields, type Texts } from "../components/language-fields.tsx";
import { newUid, RepeatedGroup } from "../components/repeated-group.tsx";
import { Field, FieldErrors } from "../components.tsx";
import { formatNumber } from "../format.ts";

interface LogoDraft {
  uid: number;
  url: string;
  link: string;
  alt: Texts;
}

/** The event's look as the editor holds it: empty strings for what is not set. */
export interface BrandingDraft {
  logos: LogoDraft[];
  accentColour: string;
  bannerUrl: string;
  bannerAlt: Texts;
}

/** As many logos as the schema takes (`brandingSchema`). */
const maxLogos = 4;

const newLogo = (): LogoDraft => ({ uid: newUid(), url: "", link: "", alt: {} });

export function brandingDraftOf(event: WebinarEvent | undefined): BrandingDraft {
  const branding = event?.branding;
  return {
    logos: (branding?.logos ?? []).map((logo) => ({
      uid: newUid(),
      url: logo.url,
      link: logo.link ?? "",
      alt: logo.alt,
    })),
    accentColour: branding?.accentColour ?? "",
    bannerUrl: branding?.bannerUrl ?? "",
    bannerAlt: branding?.bannerAlt ?? {},
  };
}

const nonEmpty = (texts: Texts) => {
  const filled = filledTexts(texts);
  return Object.keys(filled).length > 0 ? filled : undefined;
};

/**
 * The event's branding as the API takes it. What is left empty is not sent, so an event whose
 * look nobody set keeps the pages' neutral defaults; an alt text left empty beside a URL is sent
 * empty, for the API to say which one is missing.
 */
export function brandingInputOf(draft: BrandingDraft): Pick<EventInput, "branding"> {
  const logos = draft.logos.map((logo) => ({
    url: logo.url.trim(),
    alt: filledTexts(logo.alt),
    ...(logo.link.trim() && { link: logo.link.trim() }),
  }));
  const bannerAlt = nonEmpty(draft.bannerAlt);
  const branding = {
    ...(logos.length > 0 && { logos }),
    ...(draft.accentColour.trim() && { accentColour: draft.accentColour.trim() }),
    ...(draft.bannerUrl.trim() && { bannerUrl: draft.bannerUrl.trim() }),
    ...(bannerAlt && { bannerAlt }),
  };
  return Object.keys(branding).length > 0 ? { branding } : {};
}

interface BrandingEditorProps {
  draft: BrandingDraft;
  onChange: (draft: BrandingDraft) => void;
  issues: Map<string, string[]>;
}

/** The "Look" of the event's pages and mails: logos, accent colour, banner. */
export function BrandingEditor({ draft, onChange, issues }: BrandingEditorProps) {
  const { t } = useTranslation();
  const update = (change: Partial<BrandingDraft>) => onChange({ ...draft, ...change });
  return (
    <fieldset className="stack">
      <legend>{t("branding.title")}</legend>
      <p className="hint">{t("branding.hint")}</p>
      <FieldErrors id="branding-error" messages={issues.get("branding")} />
      <RepeatedGroup
        items={draft.logos}
        onChange={(logos) => update({ logos })}
        legend={(_, index) => t("branding.logo", { number: index + 1 })}
        create={newLogo}
        addLabel={t("branding.addLogo")}
        labels={{
          moveUp: (_, index) => t("branding.moveLogoUp", { number: index + 1 }),
          moveDown: (_, index) => t("branding.moveLogoDown", { number: index + 1 }),
          remove: (_, index) => t("branding.removeLogo", { number: index + 1 }),
        }}
        maxItems={maxLogos}
        errors={issues.get("branding.logos")}
        errorsId="branding-logos-error"
        itemFooter={(logo) => <ImagePreview url={logo.url} />}
      >
        {(logo, index, updateLogo) => {
          const path = `branding.logos.${index}`;
          return (
            <>
              <Field
                label={t("branding.logoUrl", { number: index + 1 })}
                hint={t("branding.imageUrlHint")}
                type="url"
                dir="ltr"
                className="wide"
                value={logo.url}
                required
                errors={issues.get(`${path}.url`)}
                onChange={(change) => updateLogo({ url: change.target.value })}
              />
              <LanguageFields
                label={(language) => t("branding.logoAltIn", { number: index + 1, language })}
                values={logo.alt}
                issues={issues}
                path={`${path}.alt`}
                onChange={(alt) => updateLogo({ alt })}
              />
              <Field
                label={t("branding.logoLink", { number: index + 1 })}
                hint={t("branding.logoLinkHint")}
                type="url"
                dir="ltr"
                className="wide"
                value={logo.link}
                errors={issues.get(`${path}.link`)}
                onChange={(change) => updateLogo({ link: change.target.value })}
              />
            </>
          );
        }}
      </RepeatedGroup>
      <AccentColourField
        value={draft.accentColour}
        errors={issues.get("branding.accentColour")}
        onChange={(accentColour) => update({ accentColour })}
      />
      <fieldset className="grid-3">
        <legend>{t("branding.banner")}</legend>
        <Field
          label={t("branding.bannerUrl")}
          hint={t("branding.bannerHint")}
          type="url"
          dir="ltr"
          className="wide"
          value={draft.bannerUrl}
          errors={issues.get("branding.bannerUrl")}
          onChange={(change) => update({ bannerUrl: change.target.value })}
        />
        <LanguageFields
          label={(language) => t("branding.bannerAltIn", { language })}
          values={draft.bannerAlt}
          issues={issues}
          path="branding.bannerAlt"
          onChange={(bannerAlt) => update({ bannerAlt })}
        />
        <ImagePreview url={draft.bannerUrl} />
      </fieldset>
    </fieldset>
  );
}

/**
 * The image as registrants will see it, once its URL is a complete https address, so that a
 * mistyped address is noticed here rather than on the registrants' pages. Decorative (the alt
 * texts are written beside it); when the image cannot be loaded, the editor says so in words.
 */
function ImagePreview({ url }: { url: string }) {
  const { t } = useTranslation();
  const address = url.trim();
  const [failed, setFailed] = useState<string | undefined>();
  if (!/^https:\/\/[^/\s]+\/\S+$/.test(address)) return null;
  if (failed === address) return <p className="hint wide">{t("branding.imageFailed")}</p>;
  return <img className="image-preview wide" src={address} alt="" onError={() => setFailed(address)} />;
}

/**
 * The accent colour, typed (`#0b4f9c`, as brand guides give it) or picked, with its contrast
 * against white worked out as the organiser types, by the same function the API checks it with:
 * a colour the API would refuse says so before saving, and the API's own 400 shows at the same
 * place if it comes.
 */
function AccentColourField({
  value,
  errors,
  onChange,
}: {
  value: string;
  errors?: string[];
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const colour = value.trim().toLowerCase();
  const valid = /^#[0-9a-f]{6}$/.test(colour);
  const ratio = valid ? contrastRatio(colour, "#ffffff") : undefined;
  const passes = ratio !== undefined && ratio >= minimumContrast;
  const ratioText =
    ratio === undefined
      ? value.trim()
        ? t("branding.colourFormat")
        : t("branding.colourDefault", { colour: defaultAccentColour })
      : t(passes ? "branding.contrastPasses" : "branding.contrastFails", {
          // Rounded down, as the API rounds it in its message: 4.497 is never shown as passing 4.50.
          ratio: formatNumber(Math.floor(ratio * 100) / 100),
          minimum: formatNumber(minimumContrast),
        });
  // A refusal of an earlier colour is not repeated under one that passes the same check.
  const problems = passes ? undefined : errors;
  const describedBy = [`${id}-contrast`, problems?.length && `${id}-error`].filter(Boolean).join(" ");
  return (
    <fieldset className="accent">
      <legend>{t("branding.accent")}</legend>
      <div className="accent-inputs">
        <div className="field">
          <label htmlFor={`${id}-text`}>{t("branding.accentHex")}</label>
          <input
            id={`${id}-text`}
            value={value}
            placeholder={defaultAccentColour}
            spellCheck={false}
            autoComplete="off"
            dir="ltr"
            aria-invalid={problems?.length || (ratio !== undefined && !passes) ? true : undefined}
            aria-describedby={describedBy}
            onChange={(change) => onChange(change.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-picker`}>{t("branding.accentPicker")}</label>
          <input
            id={`${id}-picker`}
            type="color"
            value={valid ? colour : defaultAccentColour}
            onChange={(change) => onChange(change.target.value)}
          />
        </div>
        <span
          className="swatch"
          aria-hidden="true"
          style={{ background: valid ? colour : defaultAccentColour }}
        >
          {t("branding.swatch")}
        </span>
      </div>
      <span id={`${id}-contrast`} className={passes || ratio === undefined ? "hint" : "field-error"}>
        {ratioText}
      </span>
      <FieldErrors id={`${id}-error`} messages={problems} />
    </fieldset>
  );
}
