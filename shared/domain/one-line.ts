import * as z from "zod";

/**
 * Control characters (Unicode category Cc: C0, DEL, C1 such as NEL U+0085) and the line and
 * paragraph separators U+2028/U+2029. None belongs in a name or a subject: some end a line in a
 * mail header or a CSV cell, and the others are invisible.
 */
export const controlCharacters = /[\p{Cc}\u2028\u2029]/u;

/** What ends a line somewhere: reported as such, since that is what a sender can understand. */
const lineBreaks = /[\n\v\f\r\u0085\u2028\u2029]/;

/**
 * One schema per length, built on the first call and shared by every field of that length: a zod
 * schema is immutable (each method returns a new one), so sharing it changes nothing but the
 * schemas built at cold start, where each costs tens of microseconds (a dozen names of the same
 * length built ~11 schemas each).
 */
export function perLength<T>(build: (max: number) => T): (max: number) => T {
  const built = new Map<number, T>();
  return (max) => {
    const known = built.get(max);
    if (known !== undefined) return known;
    const schema = build(max);
    built.set(max, schema);
    return schema;
  };
}

/**
 * A name or short text that ends up in mail headers, pages and exports: one line of visible text.
 * A control character is refused, not silently removed (the sender should see what was wrong),
 * then the value is trimmed. `max` counts characters as JavaScript does (UTF-16 units).
 */
export const oneLineSchema = perLength((max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((value) => !lineBreaks.test(value), "must be on one line")
    .refine(
      (value) => lineBreaks.test(value) || !controlCharacters.test(value),
      "must not contain control characters",
    )
    .transform((value) => value.trim()),
);
