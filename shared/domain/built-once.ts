/**
 * A cache of values built from a few keys, such as texts formatted by `Intl`: building a formatter
 * costs a tenth of a millisecond to a millisecond of CPU, and a mailing or a reminder formats the
 * same few values (a session's start, an offset, a duration) for every recipient. A process sees
 * few distinct keys; the cache is emptied if it ever holds many.
 */
export function builtOnce<T>(limit = 1_000): (key: string, build: () => T) => T {
  const built = new Map<string, T>();
  return (key, build) => {
    const known = built.get(key);
    if (known !== undefined) return known;
    if (built.size >= limit) built.clear();
    const value = build();
    built.set(key, value);
    return value;
  };
}
