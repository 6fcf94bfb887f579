import { type Language, languages } from "../domain/languages.ts";

const isLanguage = (value: string | undefined): value is Language =>
  (languages as readonly (string | undefined)[]).includes(value);

const primarySubtag = (tag: string) => tag.trim().split("-")[0]?.toLowerCase();

/**
 * The language a page is shown in. `?lang=` (the switch link on each page) wins, so a registrant
 * can read the form in the other language whatever their browser is set to; then the browser's
 * Accept-Language, best q-value first, by primary subtag (`fr-FR` → `fr`); else English.
 */
export function pickPageLanguage(
  queryLang: string | undefined,
  acceptLanguage: string | undefined,
): Language {
  const asked = primarySubtag(queryLang ?? "");
  if (isLanguage(asked)) return asked;
  return acceptedLanguages(acceptLanguage ?? "").find(isLanguage) ?? "en";
}

/** Primary subtags of an Accept-Language header, most wanted first; `q=0` means "not this one". */
function acceptedLanguages(header: string): (string | undefined)[] {
  return header
    .split(",")
    .map(parseRange)
    .filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality)
    .map((range) => range.language);
}

function parseRange(range: string) {
  const [tag = "", ...parameters] = range.split(";");
  const q = parameters.map((parameter) => parameter.trim()).find((parameter) => /^q=/i.test(parameter));
  const quality = q === undefined ? 1 : Number(q.slice(2));
  return { language: primarySubtag(tag), quality: Number.isFinite(quality) ? quality : 0 };
}
