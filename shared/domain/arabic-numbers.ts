import { locales } from "./languages.ts";

/** A number as Arabic texts write it (Latin digits, see `locales`). */
export const arabicNumber = (value: number) => value.toLocaleString(locales.ar);

const plural = new Intl.PluralRules("ar");

/**
 * A count and its noun in Arabic, whose counted nouns take a form by number: a word for one and
 * for two ("يوم واحد", "يومان"), a plural for 3 to 10 ("3 أيام"), an accusative singular for 11
 * to 99 ("30 يومًا") and a genitive singular for hundreds and zero ("100 يوم"). The CLDR plural
 * rules say which form applies.
 */
export function arabicCount(
  count: number,
  forms: { one: string; two: string; few: string; many: string; other: string },
): string {
  const category = plural.select(count);
  if (category === "one") return forms.one;
  if (category === "two") return forms.two;
  const noun = category === "few" ? forms.few : category === "many" ? forms.many : forms.other;
  return `${arabicNumber(count)} ${noun}`;
}
