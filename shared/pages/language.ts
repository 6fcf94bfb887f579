import { type Language, languages } from "../domain/languages.ts";

const isLanguage = (value: string | undefined): value is Language =>
  (languages as readonly (string | undefined)[]).includes(value);

const primarySubtag = (tag: string) => tag.trim().split("-")[0]?.toLowerCase();

/**
 * The language a page is shown in. `?lang=` (the switch link on each page) wins, so a registrant
 * can read the form in the other language whatever their browser is set to; then the browser's
 * Accept-Language, best q-value first, by primary subtag (`fr-FR` → `fr`); else English.
 *
 * A page about an event passes the languages it `offers` (`eventLanguages`): only those count,
 * from `?lang=` as from the browser, so a phone set to Arabic first, then French, gets the French
 * page of an event without Arabic (not an Arabic page around French titles, which would also
 * preselect Arabic for its mails); with none of them asked for, English if offered, else the
 * event's first language. Pages about no event (the unsubscribe page, most error pages) offer them all.
 */
export function pickPageLanguage(
  queryLang: string | undefined,
  acceptLanguage: string | undefined,
  offers: readonly Language[] = languages,
): Language {
  const offered = (value: string | undefined): value is Language =>
    isLanguage(value) && offers.includes(value);
  const asked = primarySubtag(queryLang ?? "");
  if (offered(asked)) return asked;
  return (
    acceptedLanguages(acceptLanguage ?? "").find(offered) ?? (offered("en") ? "en" : (offers[0] ?? "en"))
  );
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

/**
 * The language of a registrant's own pages (manage, cancel, their invitation): `?lang=` if their
 * event offers it, else the one they registered in (read as a browser's single choice), if the
 * event still offers it; else as `pickPageLanguage` with nothing asked.
 */
export const registrantPageLanguage = (
  queryLang: string | undefined,
  own: Language,
  offers: readonly Language[],
): Language => pickPageLanguage(queryLang, own, offers);
