/**
 * Amazon EventBridge event pattern matching for the local EventBridge stand-in.
 *
 * EventBridge matches with its open-source engine, aws/event-ruler, and this module follows it where the
 * EventBridge documentation is silent:
 * - Event and pattern are flattened into dotted field names (`detail.state.status`), so a pattern key
 *   `"state.status"` and a nested `{"state": {"status": …}}` name the same field, in the pattern and in the
 *   event alike.
 * - A pattern compiles into branches, one per alternative of each `$or`; a field written twice in one branch
 *   (a repeated key, or the same field outside and inside a `$or`) keeps its last value list, as event-ruler
 *   overrides it.
 * - Fields are ANDed, the values listed for a field are ORed, and the values matched for one branch must
 *   all come from the same element of every array of objects they cross ("array consistency"), which is also
 *   how `exists: false` is judged inside arrays of objects: a field counts as present when some element
 *   consistent with the fields matched so far (in field-name order) holds it.
 * - Numbers keep the text they were written with: an exact number matches the same text, or the same value
 *   when both lie within ±5e9 with at most six decimals (EventBridge's numeric range); `numeric` compares
 *   exactly in that range. Large integers are never collapsed as `JSON.parse` collapses them, when the event
 *   is given as JSON text.
 * - `equals-ignore-case` lets each UTF-16 unit of the pattern match its lower- or upper-case form, the way
 *   event-ruler folds case (so `ß` matches `SS` but not `ss`).
 * - Invalid patterns are refused with EventBridge's own `InvalidEventPatternException` reasons, and wildcard
 *   filters whose worst case keeps too many partial matches alive are refused as "Rule is too complex".
 */

import type { EventPattern } from "../event-pattern.ts";

export type { EventPattern } from "../event-pattern.ts";

/** Tells whether an EventBridge envelope (an object, or its JSON text to keep large numbers exact) matches. */
export type EventMatcher = (event: Readonly<Record<string, unknown>> | string) => boolean;

/**
 * EventBridge's answer to an invalid pattern (`InvalidEventPatternException`): `reason` is the text AWS puts
 * after "Event pattern is not valid. Reason: ", `path` where in the pattern it was found.
 */
export class InvalidEventPatternError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(`Event pattern is not valid. Reason: ${reason}${path === "" ? "" : `\n at ${path}`}`);
    this.name = "InvalidEventPatternException";
  }
}

/**
 * Compiles an EventBridge event pattern once, validating all of it as EventBridge does, into a function
 * that tells whether an event matches. The local runtime routes events with the same rules that are
 * deployed, so a rule behaves the same on a laptop as on AWS.
 *
 * @param pattern the rule as the wiring list writes it, or its JSON text (which keeps repeated keys and
 * exact numbers, as EventBridge reads them).
 * @throws InvalidEventPatternError with EventBridge's reason when the pattern is not a valid pattern.
 */
export function compilePattern(pattern: EventPattern | string): EventMatcher {
  const json = typeof pattern === "string" ? parsePatternText(pattern) : toJsonValue(pattern);
  if (!(json instanceof JsonObject)) throw new InvalidEventPatternError("Filter is not an object", "");
  const branches: Branch[] = [];
  compileObject(branches, [], json, false);
  checkComplexity(branches);
  const sorted = branches.map((branch) => [...branch.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  return (event) => {
    const fields = fieldsByName(typeof event === "string" ? parseJson(event) : toJsonValue(event));
    return sorted.some((branch) => matchesBranch(branch, 0, fields, new Map()));
  };
}

/**
 * Whether `event`, a full EventBridge envelope (`source`, `detail-type`, `detail`, …), matches `pattern`.
 * Prefer {@link compilePattern} to validate a rule once at start-up and reuse it.
 *
 * @throws InvalidEventPatternError when the pattern is invalid, whatever the event.
 */
export function matchesPattern(
  pattern: EventPattern | string,
  event: Readonly<Record<string, unknown>> | string,
): boolean {
  return compilePattern(pattern)(event);
}

// ---------------------------------------------------------------------------------------------------------
// JSON as event-ruler reads it (Jackson): numbers keep their text, members keep their order and duplicates
// ---------------------------------------------------------------------------------------------------------

/** A JSON number as written. */
class JsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON object, its members in document order, duplicates included. */
class JsonObject {
  constructor(readonly entries: readonly (readonly [string, JsonValue])[]) {}
}

type JsonValue = string | boolean | null | JsonNumber | JsonObject | readonly JsonValue[];
type Leaf = string | boolean | null | JsonNumber;

class JsonSyntaxError extends Error {}

const numberToken = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const whitespaceToken = /[ \t\n\r]*/y;
const jsonEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/**
 * A small RFC 8259 parser, because `JSON.parse` loses what EventBridge keeps: the digits of numbers beyond
 * 2^53 and the order and repetition of keys. Its reviver's source-text access needs Node 21.
 */
function parseJson(text: string): JsonValue {
  let position = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${position}`);
  };
  const skip = (token: RegExp) => {
    token.lastIndex = position;
    const found = token.exec(text);
    if (found) position = token.lastIndex;
    return found?.[0];
  };
  const expect = (character: string) => {
    if (text[position] !== character) fail(`Expected '${character}'`);
    position++;
  };
  const parseString = (): string => {
    expect('"');
    let result = "";
    for (let character = text[position]; character !== '"'; character = text[position]) {
      if (character === undefined || character < " ") fail("Unterminated string");
      if (character !== "\\") {
        result += character;
        position++;
        continue;
      }
      const escaped = text[position + 1] ?? "";
      const hex = text.slice(position + 2, position + 6);
      if (escaped === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
        result += String.fromCharCode(Number.parseInt(hex, 16));
        position += 6;
      } else {
        result += jsonEscapes[escaped] ?? fail("Invalid escape");
        position += 2;
      }
    }
    position++;
    return result;
  };
  const parseList = <Item>(close: string, item: () => Item): Item[] => {
    const items: Item[] = [];
    skip(whitespaceToken);
    if (text[position] === close) position++;
    else {
      do items.push(item());
      while (text[position] === "," && ++position);
      expect(close);
    }
    return items;
  };
  const parseMember = (): readonly [string, JsonValue] => {
    skip(whitespaceToken);
    const key = parseString();
    skip(whitespaceToken);
    expect(":");
    return [key, parseValue()];
  };
  const literals: readonly (readonly [string, JsonValue])[] = [
    ["true", true],
    ["false", false],
    ["null", null],
  ];
  function parseValue(): JsonValue {
    skip(whitespaceToken);
    const first = text[position];
    let value: JsonValue;
    if (first === "{") {
      position++;
      value = new JsonObject(parseList("}", parseMember));
    } else if (first === "[") {
      position++;
      value = parseList("]", parseValue);
    } else if (first === '"') value = parseString();
    else {
      const literal = literals.find(([word]) => text.startsWith(word, position));
      const number = literal ? undefined : skip(numberToken);
      if (literal) position += literal[0].length;
      value = literal ? literal[1] : number ? new JsonNumber(number) : fail("Unrecognized token");
    }
    skip(whitespaceToken);
    return value;
  }
  const value = parseValue();
  if (position < text.length) fail("Unexpected content after the JSON value");
  return value;
}

function parsePatternText(text: string): JsonValue {
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new InvalidEventPatternError(error.message, "");
    throw error;
  }
}

/** JavaScript data (a rule written in TypeScript, an event already parsed) as JSON values. */
function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? new JsonNumber(JSON.stringify(value)) : null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return new JsonObject(members.map(([key, member]) => [key, toJsonValue(member)] as const));
  }
  return null;
}

/** The text Jackson's `getText()` gives for a value, which event-ruler quotes in some messages. */
function tokenText(value: JsonValue | undefined): string {
  if (value === undefined) return "]";
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof JsonObject) return "{";
  if (Array.isArray(value)) return "[";
  return String(value);
}

// ---------------------------------------------------------------------------------------------------------
// Numbers: event-ruler's ComparableNumber, exact decimals within ±5e9 and six decimal places
// ---------------------------------------------------------------------------------------------------------

const maxDecimals = 6;
const fiveBillionMicros = 5_000_000_000n * 10n ** BigInt(maxDecimals);
const numberParts = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The number in millionths, exactly, or the reason EventBridge cannot compare it (more than six
 * decimals, or beyond ±5e9).
 */
function comparableNumber(text: string): bigint | string {
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = numberParts.exec(text) ?? [];
  const digits = (whole + fraction).replace(/^0+(?=\d)/, "");
  const scale = fraction.length - Number(exponent);
  const significant = digits.replace(/0+$/, "");
  const trailingZeros = digits.length - significant.length;
  if (significant !== "" && scale - trailingZeros > maxDecimals) {
    return `Only values upto 6 decimals are supported ${text}`;
  }
  const micros =
    scale <= maxDecimals
      ? BigInt(digits) * 10n ** BigInt(maxDecimals - scale)
      : BigInt(significant || "0") * 10n ** BigInt(maxDecimals - scale + trailingZeros);
  if (micros > fiveBillionMicros) return "Value must be between -5.0E9 and 5.0E9, inclusive";
  return sign === "-" ? -micros : micros;
}

function boundOf(value: JsonNumber, path: string): bigint {
  const bound = comparableNumber(value.text);
  if (typeof bound === "string") throw new InvalidEventPatternError(bound, path);
  return bound;
}

function comparableLeaf(leaf: Leaf): bigint | undefined {
  if (!(leaf instanceof JsonNumber)) return undefined;
  const number = comparableNumber(leaf.text);
  return typeof number === "bigint" ? number : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses, as event-ruler's CIDR class reads them (java.net.InetAddress literals)
// ---------------------------------------------------------------------------------------------------------

const ipv4Shape = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const ipv6Shape = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** The address's bytes (4, or 16), `undefined` when the text has no IP shape, `null` when it is not valid. */
function ipBytes(text: string): number[] | undefined | null {
  if (ipv4Shape.test(text)) {
    const octets = text.split(".").map(Number);
    return octets.every((octet) => octet <= 255) ? octets : null;
  }
  if (!ipv6Shape.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
  const [head = [], tail = []] = groups;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 ? missing < 1 : missing !== 0) || ![...head, ...tail].every(isHexGroup))
    return null;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const bytes = words.flatMap((word) => {
    const value = Number.parseInt(word, 16);
    return [value >> 8, value & 0xff];
  });
  // Java gives IPv4-mapped addresses (::ffff:a.b.c.d) as the IPv4 address itself.
  const mapped = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function isHexGroup(group: string): boolean {
  return /^[0-9a-fA-F]{1,4}$/.test(group);
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A leaf test for addresses from `low` to `high`, both included, of the same family. */
function ipRange(low: readonly number[], high: readonly number[]): LeafTest {
  return (leaf) => {
    if (typeof leaf !== "string") return false;
    const address = ipBytes(leaf);
    return (
      !!address &&
      address.length === low.length &&
      compareBytes(address, low) >= 0 &&
      compareBytes(address, high) <= 0
    );
  };
}

/** `{"cidr": "10.0.0.0/24"}`: from the address given (host bits are not cleared, as in event-ruler) up. */
function compileCidr(operand: JsonValue, path: string): LeafTest {
  if (typeof operand !== "string")
    throw new InvalidEventPatternError("prefix match pattern must be a string", path);
  const parts = operand.split("/");
  while (parts.length > 1 && parts.at(-1) === "") parts.pop(); // Java's split drops trailing empty strings
  const [address = "", maskText = ""] = parts;
  const invalid = (reason: string) => new InvalidEventPatternError(reason, path);
  if (parts.length !== 2) throw invalid("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d{1,10}$/.test(maskText) || Math.abs(Number(maskText)) > 2 ** 31 - 1) {
    throw invalid("Malformed CIDR, mask bits must be an integer");
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw invalid("Malformed CIDR, mask bits must not be negative");
  const low = ipBytes(address);
  if (low === null) throw invalid(`Invalid IP address: ${address}`);
  if (low === undefined) throw invalid(`Nonstandard IP address: ${address}`);
  if (low.length === 4 && maskBits > 31) throw invalid("IPv4 mask bits must be < 32");
  if (low.length === 16 && maskBits > 127) throw invalid("IPv6 mask bits must be < 128");
  let hostBits = low.length * 8 - maskBits;
  const high = [...low];
  for (let index = high.length - 1; index >= 0 && hostBits > 0; index--, hostBits -= 8) {
    high[index] = (high[index] ?? 0) | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return ipRange(low, high);
}

// ---------------------------------------------------------------------------------------------------------
// Strings: case folding and wildcards as event-ruler does them
// ---------------------------------------------------------------------------------------------------------

type CaseMode = "equals" | "prefix" | "suffix";

/**
 * event-ruler's `equals-ignore-case`: each UTF-16 unit of the pattern may appear in the value as its
 * lower-case or its upper-case form (full Unicode mappings, so one unit may stand for several).
 */
function ignoringCase(pattern: string, mode: CaseMode): (text: string) => boolean {
  const forms = [...Array(pattern.length).keys()].map((index) => {
    const unit = pattern.charAt(index);
    return [...new Set([unit.toLowerCase(), unit.toUpperCase()])];
  });
  if (mode === "suffix") forms.reverse();
  return (text) => {
    let positions = new Set([mode === "suffix" ? text.length : 0]);
    for (const alternatives of forms) {
      const next = new Set<number>();
      for (const position of positions) {
        for (const form of alternatives) {
          const start = mode === "suffix" ? position - form.length : position;
          if (start >= 0 && text.startsWith(form, start))
            next.add(mode === "suffix" ? start : start + form.length);
        }
      }
      if (next.size === 0) return false;
      positions = next;
    }
    return mode !== "equals" || positions.has(text.length);
  };
}

const wildcardToken = Symbol("*");
type WildcardToken = string | typeof wildcardToken;

/**
 * A wildcard pattern as tokens, or event-ruler's parse error. Positions count UTF-8 bytes of the pattern
 * in quotes, as event-ruler reports them.
 */
function parseWildcard(pattern: string, path: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  let bytes = 1; // the opening quote
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern.charAt(index);
    const next = pattern.charAt(index + 1);
    if (character === "*" && next === "*") {
      throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${bytes}`, path);
    }
    if (character === "\\") {
      if (next !== "*" && next !== "\\") {
        throw new InvalidEventPatternError(`Invalid escape character at pos ${bytes}`, path);
      }
      tokens.push(next);
      index++;
      bytes += 2;
      continue;
    }
    tokens.push(character === "*" ? wildcardToken : character);
    bytes += Buffer.byteLength(character);
  }
  return tokens;
}

/** Whether `text` is matched by the wildcard tokens; greedy leftmost placement suffices with `*` alone. */
function matchesWildcard(tokens: readonly WildcardToken[], text: string): boolean {
  const segments = [""];
  for (const token of tokens) {
    if (token === wildcardToken) segments.push("");
    else segments[segments.length - 1] += token;
  }
  const first = segments[0] ?? "";
  const last = segments.at(-1) ?? "";
  if (segments.length === 1) return text === first;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last))
    return false;
  const end = text.length - last.length;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = text.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

/**
 * The most prefixes of a field's wildcard patterns that one value can match at once: the number of
 * partial matches the engine keeps alive, which event-ruler caps (MachineComplexityEvaluator). Found by
 * exploring the subsets of pattern positions reachable with the patterns' own characters plus one other.
 */
function wildcardComplexity(patterns: readonly (readonly WildcardToken[])[], cap: number): number {
  const close = (tokens: readonly WildcardToken[], positions: Set<number>) => {
    for (const position of positions) if (tokens[position] === wildcardToken) positions.add(position + 1);
    return positions;
  };
  const alphabet = [...new Set(patterns.flat().filter((token) => token !== wildcardToken)), "\u{10FFFF}"];
  const keyOf = (state: readonly Set<number>[]) => state.map((set) => [...set].sort().join(",")).join("|");
  let frontier = [patterns.map((tokens) => close(tokens, new Set([0])))];
  const seen = new Set(frontier.map(keyOf));
  let worst = 0;
  while (frontier.length > 0 && seen.size < 20_000) {
    const next: Set<number>[][] = [];
    for (const state of frontier) {
      for (const character of alphabet) {
        const moved = patterns.map((tokens, index) => {
          const positions = new Set<number>();
          for (const position of state[index] ?? []) {
            if (tokens[position - 1] === wildcardToken) positions.add(position);
            if (tokens[position] === character) positions.add(position + 1);
          }
          return close(tokens, positions);
        });
        worst = Math.max(
          worst,
          moved.reduce((sum, set) => sum + set.size - (set.has(0) ? 1 : 0), 0),
        );
        if (worst >= cap) return worst;
        const key = keyOf(moved);
        if (!seen.has(key)) {
          seen.add(key);
          next.push(moved);
        }
      }
    }
    frontier = next;
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------------------
// Compiling: branches of field tests, as event-ruler's JsonRuleCompiler builds them
// ---------------------------------------------------------------------------------------------------------

type LeafTest = (leaf: Leaf) => boolean;

/** What one field of a branch accepts: any listed value, or its absence when `exists: false` is listed. */
interface FieldTest {
  readonly values: readonly LeafTest[];
  readonly absent: boolean;
  /** Wildcard patterns of the field, for the complexity limit. */
  readonly wildcards: readonly (readonly WildcardToken[])[];
}

type Branch = Map<string, FieldTest>;

/** A compiled filter: a leaf test, `exists: false`, or a test with the wildcard it carries. */
type CompiledValue = { test: LeafTest; wildcards?: WildcardToken[][] } | "absent";

/**
 * Highest wildcard complexity accepted. EventBridge does not publish its limit; this one accepts every
 * wildcard pattern recorded as accepted by AWS (up to 7 live prefixes, `/Users/*\/dir/dir/dir/dir/dir/doc.txt`)
 * and refuses the one recorded as "Rule is too complex" (`*:*:*:*:*:event-bus/*`).
 */
const maxWildcardComplexity = 7;

const orKey = "$or";
const ignoreCaseKey = "equals-ignore-case";
const reservedInOr = new Set([
  ...["exactly", ignoreCaseKey, "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr"],
  ...["html", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case"],
  ...["date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range"],
  ...["ip-address-in-range", "ip-address-not-in-range"],
]);

function compileObject(branches: Branch[], path: readonly string[], object: JsonObject, inOr: boolean): void {
  const here = path.join(".");
  if (object.entries.length === 0) throw new InvalidEventPatternError("Empty objects are not allowed", here);
  for (const [key, value] of object.entries) {
    if (key === orKey) {
      compileOr(branches, path, value);
      continue;
    }
    const name = [...path, key].join(".");
    if (inOr && reservedInOr.has(key)) {
      throw new InvalidEventPatternError(
        `${key} is Ruler reserved fieldName which cannot be used inside $or.`,
        name,
      );
    }
    if (value instanceof JsonObject) compileObject(branches, [...path, key], value, inOr);
    else if (Array.isArray(value)) writeField(branches, name, value);
    else throw new InvalidEventPatternError(`"${key}" must be an object or an array`, name);
  }
}

/** Each alternative of a `$or` forks every branch built so far. */
function compileOr(branches: Branch[], path: readonly string[], value: JsonValue): void {
  const here = [...path, orKey].join(".");
  const before = branches.splice(0).map((branch) => new Map(branch));
  if (!Array.isArray(value))
    throw new InvalidEventPatternError("It must be an Array followed with $or.", here);
  for (const alternative of value) {
    if (!(alternative instanceof JsonObject)) {
      throw new InvalidEventPatternError("Only JSON object is allowed in array of $or relationship.", here);
    }
    const forked = before.length > 0 ? before.map((branch) => new Map(branch)) : [new Map()];
    compileObject(forked, path, alternative, true);
    branches.push(...forked);
  }
  if (value.length < 2) {
    throw new InvalidEventPatternError("There must have at least 2 Objects in $or relationship.", here);
  }
}

function writeField(branches: Branch[], name: string, values: readonly JsonValue[]): void {
  const compiled = values.map((value) => compileValue(value, name));
  if (compiled.length === 0) throw new InvalidEventPatternError("Empty arrays are not allowed", name);
  const tests = compiled.filter((value) => value !== "absent");
  const field: FieldTest = {
    values: tests.map((value) => value.test),
    absent: compiled.includes("absent"),
    wildcards: tests.flatMap((value) => value.wildcards ?? []),
  };
  if (branches.length === 0) branches.push(new Map());
  for (const branch of branches) branch.set(name, field);
}

function compileValue(value: JsonValue, path: string): CompiledValue {
  if (value instanceof JsonObject) return compileFilter(value, path);
  if (Array.isArray(value)) {
    throw new InvalidEventPatternError("Match value must be String, number, true, false, or null", path);
  }
  if (typeof value === "string") {
    const address = ipBytes(value);
    if (address) return { test: ipRange(address, address) };
    return { test: (leaf) => leaf === value };
  }
  if (value instanceof JsonNumber) {
    const number = comparableNumber(value.text);
    return {
      test: (leaf) =>
        (leaf instanceof JsonNumber && leaf.text === value.text) ||
        (typeof number === "bigint" && comparableLeaf(leaf) === number),
    };
  }
  return { test: (leaf) => leaf === value };
}

type FilterCompiler = (operand: JsonValue, extra: boolean, path: string) => CompiledValue;

const onlyOneKey = "Only one key allowed in match expression";
const tooManyElements = "Too many elements in numeric expression";

function compileFilter(filter: JsonObject, path: string): CompiledValue {
  const [entry, ...others] = filter.entries;
  if (entry === undefined) throw new InvalidEventPatternError("Match expression name not found", path);
  const [name, operand] = entry;
  const compile = filters.get(name);
  if (compile === undefined) throw new InvalidEventPatternError(`Unrecognized match type ${name}`, path);
  return compile(operand, others.length > 0, path);
}

/** Fails with `message` when the filter object holds keys after its first. */
function single<Result>(extra: boolean, message: string, path: string, result: Result): Result {
  if (extra) throw new InvalidEventPatternError(message, path);
  return result;
}

function stringTest(test: (text: string) => boolean): LeafTest {
  return (leaf) => typeof leaf === "string" && test(leaf);
}

/** `prefix` and `suffix`: a string, or `{"equals-ignore-case": string}`. */
function affixFilter(name: "prefix" | "suffix"): FilterCompiler {
  const plain = (affix: string) => (text: string) =>
    name === "prefix" ? text.startsWith(affix) : text.endsWith(affix);
  return (operand, extra, path) => {
    if (operand instanceof JsonObject) {
      const [entry, ...others] = operand.entries;
      const label = name === "prefix" ? "Prefix" : "Suffix";
      if (entry === undefined) throw new InvalidEventPatternError(`${label} expression name not found`, path);
      if (entry[0] !== ignoreCaseKey) {
        throw new InvalidEventPatternError(`Unsupported ${name} pattern: ${entry[0]}`, path);
      }
      if (typeof entry[1] !== "string") {
        throw new InvalidEventPatternError("equals-ignore-case match pattern must be a string", path);
      }
      return single(extra || others.length > 0, onlyOneKey, path, {
        test: stringTest(ignoringCase(entry[1], name)),
      });
    }
    if (typeof operand !== "string")
      throw new InvalidEventPatternError(`${name} match pattern must be a string`, path);
    return single(extra, onlyOneKey, path, { test: stringTest(plain(operand)) });
  };
}

function compileWildcardFilter(operand: JsonValue, extra: boolean, path: string): CompiledValue {
  if (typeof operand !== "string")
    throw new InvalidEventPatternError("wildcard match pattern must be a string", path);
  const tokens = parseWildcard(operand, path);
  return single(extra, onlyOneKey, path, {
    test: stringTest((text) => matchesWildcard(tokens, text)),
    wildcards: [tokens],
  });
}

function compileExists(operand: JsonValue, extra: boolean, path: string): CompiledValue {
  if (typeof operand !== "boolean") {
    throw new InvalidEventPatternError("exists match pattern must be either true or false.", path);
  }
  return single(extra, onlyOneKey, path, operand ? { test: () => true } : "absent");
}

function compileIgnoreCase(operand: JsonValue, extra: boolean, path: string): CompiledValue {
  if (typeof operand !== "string") {
    throw new InvalidEventPatternError("equals-ignore-case match pattern must be a string", path);
  }
  return single(extra, onlyOneKey, path, { test: stringTest(ignoringCase(operand, "equals")) });
}

type Comparison = (value: bigint, bound: bigint) => boolean;

const comparisons: ReadonlyMap<string, Comparison> = new Map<string, Comparison>([
  ["=", (value, bound) => value === bound],
  ["<", (value, bound) => value < bound],
  ["<=", (value, bound) => value <= bound],
  [">", (value, bound) => value > bound],
  [">=", (value, bound) => value >= bound],
]);

/** `numeric`: `["=" | "<" | "<=", n]`, or `[">" | ">=", n]` optionally followed by `"<" | "<=", m`. */
function compileNumeric(operand: JsonValue, extra: boolean, path: string): CompiledValue {
  const invalid = (reason: string) => new InvalidEventPatternError(reason, path);
  if (!Array.isArray(operand)) throw invalid("Value of numeric must be an array.");
  const [operator, bound, upperOperator, upperBound, ...rest] = operand as readonly (JsonValue | undefined)[];
  if (typeof operator !== "string") throw invalid(`Invalid member in numeric match: ${tokenText(operator)}`);
  const compare = comparisons.get(operator);
  if (compare === undefined) throw invalid(`Unrecognized numeric range operator: ${operator}`);
  if (!(bound instanceof JsonNumber))
    throw invalid(`Value of ${operator === "=" ? "equals" : operator} must be numeric`);
  const low = boundOf(bound, path);
  const lowerOnly = operator === ">" || operator === ">=";
  let test: (value: bigint) => boolean = (value) => compare(value, low);
  if (operand.length > 2) {
    if (!lowerOnly) throw invalid(tooManyElements);
    if (typeof upperOperator !== "string")
      throw invalid(`Bad value in numeric range: ${tokenText(upperOperator)}`);
    const compareUpper =
      upperOperator === "<" || upperOperator === "<=" ? comparisons.get(upperOperator) : undefined;
    if (compareUpper === undefined) throw invalid(`Bad numeric range operator: ${upperOperator}`);
    if (!(upperBound instanceof JsonNumber)) throw invalid(`Value of ${upperOperator} must be numeric`);
    if (rest.length > 0) throw invalid("Too many terms in numeric range expression");
    const high = boundOf(upperBound, path);
    if (low >= high) throw invalid("Bottom must be less than top");
    test = (value) => compare(value, low) && compareUpper(value, high);
  }
  return single(extra, tooManyElements, path, {
    test: (leaf) => {
      const value = comparableLeaf(leaf);
      return value !== undefined && test(value);
    },
  });
}

/** The forms `anything-but` takes with an object operand, and the message for a non-string value. */
const anythingButSets: ReadonlyMap<
  string,
  { typeError: string; exclude: (value: string, path: string) => CompiledExclusion }
> = new Map([
  [
    ignoreCaseKey,
    {
      typeError: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
      exclude: (value) => ({ test: ignoringCase(value, "equals") }),
    },
  ],
  [
    "prefix",
    { typeError: "prefix/suffix match pattern must be a string", exclude: affixExclusion("prefix") },
  ],
  [
    "suffix",
    { typeError: "prefix/suffix match pattern must be a string", exclude: affixExclusion("suffix") },
  ],
  [
    "wildcard",
    {
      typeError: "wildcard match pattern must be a string",
      exclude: (value, path) => {
        const tokens = parseWildcard(value, path);
        return { test: (text) => matchesWildcard(tokens, text), wildcard: tokens };
      },
    },
  ],
]);

type CompiledExclusion = { test: (text: string) => boolean; wildcard?: WildcardToken[] };

function affixExclusion(name: "prefix" | "suffix") {
  return (value: string, path: string): CompiledExclusion => {
    if (value === "") throw new InvalidEventPatternError("Null prefix/suffix not allowed", path);
    return { test: (text) => (name === "prefix" ? text.startsWith(value) : text.endsWith(value)) };
  };
}

/**
 * `anything-but`: matches every value of the field (strings, numbers, booleans and null alike) except the
 * excluded ones; an absent field still does not match.
 */
function compileAnythingBut(operand: JsonValue, extra: boolean, path: string): CompiledValue {
  const invalid = (reason: string) => new InvalidEventPatternError(reason, path);
  let values = operand;
  let set: { typeError: string; exclude: (value: string, path: string) => CompiledExclusion } | undefined;
  if (operand instanceof JsonObject) {
    const [entry, ...others] = operand.entries;
    if (entry === undefined) throw invalid("Anything-But expression name not found");
    set = anythingButSets.get(entry[0]);
    if (set === undefined) throw invalid(`Unsupported anything-but pattern: ${entry[0]}`);
    values = entry[1];
    extra ||= others.length > 0;
  }
  if (!(Array.isArray(values) || typeof values === "string" || values instanceof JsonNumber)) {
    throw invalid("Value of anything-but must be an array or single string/number value.");
  }
  const list: readonly JsonValue[] = Array.isArray(values) ? values : [values];
  let excluded: LeafTest;
  let wildcards: WildcardToken[][] = [];
  if (set !== undefined) {
    const { typeError, exclude } = set;
    const exclusions = list.map((value) => {
      if (typeof value !== "string") throw invalid(typeError);
      return exclude(value, path);
    });
    wildcards = exclusions.flatMap((exclusion) => (exclusion.wildcard ? [exclusion.wildcard] : []));
    excluded = stringTest((text) => exclusions.some((exclusion) => exclusion.test(text)));
  } else {
    excluded = plainExclusion(list, Array.isArray(values), path);
  }
  return single(extra, tooManyElements, path, { test: (leaf) => !excluded(leaf), wildcards });
}

/** `anything-but` with strings or numbers (never both): numbers are excluded by value. */
function plainExclusion(list: readonly JsonValue[], isList: boolean, path: string): LeafTest {
  const strings = new Set<string>();
  const numbers = new Set<bigint>();
  for (const value of list) {
    if (typeof value === "string") strings.add(value);
    else if (value instanceof JsonNumber) numbers.add(boundOf(value, path));
    else {
      const reason = isList
        ? "Inside anything but list, start|null|boolean is not supported."
        : "Inside anything-but list, start|null|boolean is not supported.";
      throw new InvalidEventPatternError(reason, path);
    }
  }
  if (strings.size > 0 === numbers.size > 0) {
    throw new InvalidEventPatternError(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
      path,
    );
  }
  return (leaf) =>
    typeof leaf === "string" ? strings.has(leaf) : numbers.has(comparableLeaf(leaf) ?? -1n << 128n);
}

const filters: ReadonlyMap<string, FilterCompiler> = new Map<string, FilterCompiler>([
  ["prefix", affixFilter("prefix")],
  ["suffix", affixFilter("suffix")],
  ["numeric", compileNumeric],
  ["anything-but", compileAnythingBut],
  ["exists", compileExists],
  ["cidr", (operand, extra, path) => single(extra, onlyOneKey, path, { test: compileCidr(operand, path) })],
  [ignoreCaseKey, compileIgnoreCase],
  ["wildcard", compileWildcardFilter],
]);

/** Refuses a rule whose wildcard filters on one field keep too many partial matches alive. */
function checkComplexity(branches: readonly Branch[]): void {
  const byField = new Map<string, Map<string, readonly WildcardToken[]>>();
  for (const branch of branches) {
    for (const [name, field] of branch) {
      const patterns = byField.get(name) ?? new Map<string, readonly WildcardToken[]>();
      for (const tokens of field.wildcards) patterns.set(tokens.map(String).join("\u0000"), tokens);
      byField.set(name, patterns);
    }
  }
  for (const [name, patterns] of byField) {
    if (
      patterns.size > 0 &&
      wildcardComplexity([...patterns.values()], maxWildcardComplexity + 1) > maxWildcardComplexity
    ) {
      throw new InvalidEventPatternError(
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
        name,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Matching: flattened event fields, with the array elements they come from
// ---------------------------------------------------------------------------------------------------------

/** An event's leaf value under its dotted name, with the index taken in each array on the way. */
interface Field {
  readonly value: Leaf;
  readonly arrays: ReadonlyMap<number, number>;
}

type Membership = ReadonlyMap<number, number>;

function fieldsByName(event: JsonValue): ReadonlyMap<string, readonly Field[]> {
  const fields = new Map<string, Field[]>();
  let arrayCount = 0;
  const visit = (value: JsonValue, name: string, arrays: Membership) => {
    if (value instanceof JsonObject) {
      for (const [key, member] of value.entries) visit(member, name === "" ? key : `${name}.${key}`, arrays);
    } else if (Array.isArray(value)) {
      const id = arrayCount++;
      for (const [index, element] of value.entries()) visit(element, name, new Map(arrays).set(id, index));
    } else {
      const list = fields.get(name) ?? [];
      list.push({ value: value as Leaf, arrays });
      fields.set(name, list);
    }
  };
  visit(event, "", new Map());
  return fields;
}

/** The memberships joined, or `undefined` when they pick different elements of the same array. */
function consistent(membership: Membership, field: Field): Membership | undefined {
  let joined: Map<number, number> | undefined;
  for (const [array, index] of field.arrays) {
    const known = membership.get(array);
    if (known === undefined) {
      joined ??= new Map(membership);
      joined.set(array, index);
    } else if (known !== index) return undefined;
  }
  return joined ?? membership;
}

/** Tries the branch's fields in name order, as event-ruler walks its state machine. */
function matchesBranch(
  branch: readonly (readonly [string, FieldTest])[],
  index: number,
  fields: ReadonlyMap<string, readonly Field[]>,
  membership: Membership,
): boolean {
  const step = branch[index];
  if (step === undefined) return true;
  const [name, test] = step;
  const candidates = fields.get(name) ?? [];
  for (const field of candidates) {
    const joined = consistent(membership, field);
    if (
      joined &&
      test.values.some((value) => value(field.value)) &&
      matchesBranch(branch, index + 1, fields, joined)
    ) {
      return true;
    }
  }
  return (
    test.absent &&
    !candidates.some((field) => consistent(membership, field) !== undefined) &&
    matchesBranch(branch, index + 1, fields, membership)
  );
}
