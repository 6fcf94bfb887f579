import fc from "fast-check";
import { describe, it } from "vitest";
import { compilePattern, type EventPattern } from "../../infra/local/event-pattern.ts";

type Leaf = string | number | boolean | null;
type Filter =
  | { prefix: string }
  | { suffix: string }
  | { "equals-ignore-case": string }
  | { "anything-but": string[] | number }
  | { exists: boolean }
  | { numeric: [">" | ">=" | "<" | "<=" | "=", number] };
type Value = Leaf | Filter;
type Fields = Record<string, Value[]>;
type Event = Record<string, Leaf | Leaf[]>;

const keys = ["a", "b", "c", "d"] as const;
const text = fc.constantFrom("", "x", "xy", "Xy", "y", "yx", "XY");
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  text,
  fc.integer({ min: 0, max: 3 }),
  fc.constant(null),
  fc.boolean(),
);
const filter: fc.Arbitrary<Filter> = fc.oneof(
  text.map((prefix) => ({ prefix })),
  text.map((suffix) => ({ suffix })),
  text.map((value) => ({ "equals-ignore-case": value })),
  fc.array(text, { minLength: 1, maxLength: 2 }).map((excluded) => ({ "anything-but": excluded })),
  fc.integer({ min: 0, max: 3 }).map((excluded) => ({ "anything-but": excluded })),
  fc.boolean().map((exists) => ({ exists })),
  fc
    .tuple(fc.constantFrom(">", ">=", "<", "<=", "=" as const), fc.integer({ min: 0, max: 3 }))
    .map(([operator, bound]) => ({ numeric: [operator, bound] as [typeof operator, number] })),
);
const values = fc.array(fc.oneof(leaf, filter), { minLength: 1, maxLength: 3 });

/** Fields on some of the given keys. */
function fieldsOn(names: readonly string[]): fc.Arbitrary<Fields> {
  return fc.dictionary(fc.constantFrom(...names), values, { minKeys: 1, maxKeys: names.length });
}

/** A pattern on a, b (and maybe a $or of two alternatives on c, d): alternatives never repeat an outer key. */
const pattern = fc.record({
  fields: fieldsOn(["a", "b"]),
  alternatives: fc.option(fc.tuple(fieldsOn(["c", "d"]), fieldsOn(["c", "d"])), { nil: undefined }),
});
const event: fc.Arbitrary<Event> = fc.dictionary(
  fc.constantFrom(...keys),
  fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })),
);

/**
 * The oracle: EventBridge's documented semantics, stated directly on flat events. Fields are ANDed, the
 * values listed for a field are ORed, an array in the event matches when any element does, `exists: false`
 * holds when the field has no value, `$or` alternatives are ORed, and each filter is read as the
 * documentation defines it (equals-ignore-case on ASCII text is plain lower-casing). On such events and
 * patterns (no arrays of objects, no field repeated inside and outside a `$or`) event-ruler's extra rules
 * (branch overriding, array consistency, field-name order) cannot change the answer, so the compiled
 * matcher, with all its machinery, must give exactly this brute-force answer.
 */
function oracle(rule: { fields: Fields; alternatives: [Fields, Fields] | undefined }, input: Event): boolean {
  const fieldsMatch = (fields: Fields) =>
    Object.entries(fields).every(([name, accepted]) => {
      const present = input[name];
      const leaves = present === undefined ? [] : Array.isArray(present) ? present : [present];
      if (
        leaves.length === 0 &&
        accepted.some((value) => isFilter(value) && "exists" in value && !value.exists)
      ) {
        return true;
      }
      return leaves.some((value) => accepted.some((candidate) => leafMatches(candidate, value)));
    });
  return fieldsMatch(rule.fields) && (rule.alternatives?.some(fieldsMatch) ?? true);
}

function isFilter(value: Value): value is Filter {
  return typeof value === "object" && value !== null;
}

function leafMatches(candidate: Value, value: Leaf): boolean {
  if (!isFilter(candidate)) return candidate === value;
  if ("prefix" in candidate) return typeof value === "string" && value.startsWith(candidate.prefix);
  if ("suffix" in candidate) return typeof value === "string" && value.endsWith(candidate.suffix);
  if ("equals-ignore-case" in candidate) {
    return typeof value === "string" && value.toLowerCase() === candidate["equals-ignore-case"].toLowerCase();
  }
  if ("anything-but" in candidate) {
    const excluded = candidate["anything-but"];
    return Array.isArray(excluded) ? !excluded.some((item) => item === value) : value !== excluded;
  }
  if ("exists" in candidate) return candidate.exists;
  const [operator, bound] = candidate.numeric;
  if (typeof value !== "number") return false;
  const compare = {
    ">": value > bound,
    ">=": value >= bound,
    "<": value < bound,
    "<=": value <= bound,
    "=": value === bound,
  };
  return compare[operator];
}

function toPattern(rule: { fields: Fields; alternatives: [Fields, Fields] | undefined }): EventPattern {
  return rule.alternatives ? { ...rule.fields, $or: rule.alternatives } : rule.fields;
}

describe("local EventBridge matching, property-based", () => {
  it("agrees with the documented semantics on flat events", () => {
    fc.assert(
      // A boolean property rather than expect(): fast-check still shrinks and prints the counterexample.
      fc.property(
        pattern,
        event,
        (rule, input) => compilePattern(toPattern(rule))(input) === oracle(rule, input),
      ),
      { numRuns: 2500 },
    );
  });

  it("reads a dotted key as the nested field it names, in the pattern and in the event", () => {
    const nestedEvent = fc.dictionary(
      fc.constantFrom("p", "q"),
      fc.dictionary(fc.constantFrom(...keys), leaf),
    );
    fc.assert(
      fc.property(pattern, nestedEvent, fc.boolean(), (rule, nested, dottedEvent) => {
        const nestedPattern = { p: rule.fields };
        const dottedPattern = Object.fromEntries(
          Object.entries(rule.fields).map(([name, list]) => [`p.${name}`, list]),
        );
        const input = dottedEvent
          ? Object.fromEntries(
              Object.entries(nested).flatMap(([outer, inner]) =>
                Object.entries(inner).map(([name, value]) => [`${outer}.${name}`, value]),
              ),
            )
          : nested;

        const expected = oracle({ fields: rule.fields, alternatives: undefined }, nested.p ?? {});
        return (
          compilePattern(dottedPattern)(input) === expected &&
          compilePattern(nestedPattern)(input) === expected
        );
      }),
      { numRuns: 800 },
    );
  });
});
