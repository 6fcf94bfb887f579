/**
 * Amazon EventBridge event pattern matching for the local EventBridge stand-in.
 *
 * Semantics follow EventBridge (and its open-source engine, event-ruler): fields are ANDed, the values
 * listed for a field are ORed, an array in the event matches when any element does, and a nested pattern
 * must be satisfied by a single element of an array of objects (fields taken from different elements never
 * combine). Patterns are validated in full when compiled, so a malformed rule fails at start-up instead of
 * silently never matching.
 */

import type { EventPattern, JsonLeaf, NumericOperator } from "../event-pattern.ts";

export type { EventPattern } from "../event-pattern.ts";

/** Tells whether an EventBridge envelope matches the rule it was compiled from. */
export type EventMatcher = (event: Record<string, unknown>) => boolean;

type NodeTest = (node: unknown) => boolean;
type LeavesTest = (leaves: readonly JsonLeaf[]) => boolean;
type LeafTest = (leaf: JsonLeaf) => boolean;
type LeafFilterCompiler = (operand: unknown, path: string) => LeafTest;
type Compare = (value: number, operand: number) => boolean;
type Comparison = { readonly bound: number; readonly test: (value: number) => boolean };

const orKey = "$or";
const ignoreCaseKey = "equals-ignore-case";

/**
 * Compiles an EventBridge event pattern once, validating all of it, into a function that tells whether an
 * event matches. The local runtime uses it to route events with the same rules that are deployed, so a
 * rule behaves the same on a laptop as on AWS.
 *
 * @throws Error naming the offending key and its path when the pattern is not a valid EventBridge pattern
 * (unknown filter such as `"prefx"`, empty list, malformed `numeric` range, `$or` with fewer than two
 * patterns, …).
 */
export function compilePattern(pattern: EventPattern): EventMatcher {
  return compileObject(pattern, "");
}

/**
 * Whether `event`, a full EventBridge envelope (`source`, `detail-type`, `detail`, …), matches `pattern`
 * under EventBridge's rules. Lets the local runtime route events with the same rules that are deployed.
 * Prefer {@link compilePattern} to validate a rule once at start-up and reuse it.
 *
 * @throws Error naming the offending key when the pattern is invalid, whatever the event.
 */
export function matchesPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  return compilePattern(pattern)(event);
}

function compileObject(pattern: unknown, path: string): NodeTest {
  if (!isRecord(pattern)) throw invalid(path, "must be an object of fields");
  const entries = Object.entries(pattern);
  if (entries.length === 0) throw invalid(path, "must name at least one field");
  const tests = entries.map(([key, spec]) =>
    key === orKey ? compileOr(spec, join(path, key)) : compileField(key, spec, join(path, key)),
  );
  return (node) => tests.every((test) => test(node));
}

function compileOr(spec: unknown, path: string): NodeTest {
  if (!isList(spec) || spec.length < 2) throw invalid(path, "must be an array of at least two patterns");
  const alternatives = spec.map((alternative, index) => compileObject(alternative, `${path}[${index}]`));
  return (node) => alternatives.some((test) => test(node));
}

function compileField(key: string, spec: unknown, path: string): NodeTest {
  if (isList(spec)) {
    const test = compileValues(spec, path);
    return (node) => test(leavesOf(fieldOf(node, key)));
  }
  if (isRecord(spec)) {
    const test = compileObject(spec, path);
    return (node) => candidatesOf(fieldOf(node, key)).some(test);
  }
  throw invalid(path, "must be an array of values or a nested pattern");
}

function compileValues(values: readonly unknown[], path: string): LeavesTest {
  if (values.length === 0) throw invalid(path, "must list at least one value");
  const tests = values.map((value) => compileValue(value, path));
  return (leaves) => tests.some((test) => test(leaves));
}

function compileValue(value: unknown, path: string): LeavesTest {
  if (isLeaf(value)) return anyLeaf((leaf) => leaf === value);
  if (isRecord(value)) return compileFilter(value, path);
  throw invalid(path, "values must be strings, numbers, booleans, null or filter objects");
}

function compileFilter(filter: Record<string, unknown>, path: string): LeavesTest {
  const [name, operand] = onlyEntry(filter, path, "a filter");
  if (name === "exists") return compileExists(operand, path);
  if (name === "cidr") throw invalid(path, 'the "cidr" filter is not supported by the local matcher');
  const compile = leafFilters.get(name);
  if (compile === undefined) throw invalid(path, `unknown filter "${name}"`);
  return anyLeaf(compile(operand, path));
}

const leafFilters: ReadonlyMap<string, LeafFilterCompiler> = new Map<string, LeafFilterCompiler>([
  ["prefix", (operand, path) => compileAffix("prefix", operand, path, startsWith)],
  ["suffix", (operand, path) => compileAffix("suffix", operand, path, endsWith)],
  [
    ignoreCaseKey,
    (operand, path) => stringTest(equalsIgnoreCase(requireString(ignoreCaseKey, operand, path))),
  ],
  [
    "wildcard",
    (operand, path) => stringTest(compileWildcard(requireString("wildcard", operand, path), path)),
  ],
  ["numeric", compileNumeric],
  ["anything-but", (operand, path) => not(compileAnythingBut(operand, path))],
]);

function compileExists(operand: unknown, path: string): LeavesTest {
  if (typeof operand !== "boolean") throw invalid(path, '"exists" takes true or false');
  return operand ? (leaves) => leaves.length > 0 : (leaves) => leaves.length === 0;
}

function compileAffix(
  name: string,
  operand: unknown,
  path: string,
  affixTest: (affix: string) => (text: string) => boolean,
): LeafTest {
  if (typeof operand === "string") return stringTest(affixTest(operand));
  if (isRecord(operand)) {
    const [modifier, affix] = onlyEntry(operand, path, `"${name}"`);
    if (modifier === ignoreCaseKey && typeof affix === "string") {
      const matches = affixTest(affix.toLowerCase());
      return stringTest((text) => matches(text.toLowerCase()));
    }
  }
  throw invalid(path, `"${name}" takes a string or {"${ignoreCaseKey}": string}`);
}

function compileAnythingBut(operand: unknown, path: string): LeafTest {
  if (typeof operand === "string" || typeof operand === "number") return (leaf) => leaf === operand;
  if (isList(operand)) return compileExclusionList(operand, path);
  if (isRecord(operand)) {
    const [name, inner] = onlyEntry(operand, path, '"anything-but"');
    const excluded = compileAnythingButFilter(name, inner, path);
    if (excluded !== undefined) return excluded;
  }
  throw invalid(
    path,
    '"anything-but" takes a string, a number, a list of either, or {"prefix" | "suffix" | "equals-ignore-case" | "wildcard": …}',
  );
}

function compileAnythingButFilter(name: string, operand: unknown, path: string): LeafTest | undefined {
  switch (name) {
    case "prefix":
      return stringTest(startsWith(requireNonEmptyString(name, operand, path)));
    case "suffix":
      return stringTest(endsWith(requireNonEmptyString(name, operand, path)));
    case ignoreCaseKey:
      return anyOf(requireStrings(name, operand, path).map(equalsIgnoreCase));
    case "wildcard":
      return anyOf(requireStrings(name, operand, path).map((pattern) => compileWildcard(pattern, path)));
    default:
      return undefined;
  }
}

function compileExclusionList(values: readonly unknown[], path: string): LeafTest {
  const allStrings = values.every((value) => typeof value === "string");
  const allNumbers = values.every((value) => typeof value === "number");
  if (values.length === 0 || !(allStrings || allNumbers)) {
    throw invalid(path, '"anything-but" lists must hold only strings or only numbers');
  }
  return (leaf) => values.some((value) => value === leaf);
}

const comparators: ReadonlyMap<string, Compare> = new Map<string, Compare>([
  ["=", (value, operand) => value === operand],
  ["<", (value, operand) => value < operand],
  ["<=", (value, operand) => value <= operand],
  [">", (value, operand) => value > operand],
  [">=", (value, operand) => value >= operand],
]);

function compileNumeric(operand: unknown, path: string): LeafTest {
  if (!isList(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw invalid(path, '"numeric" takes one or two [operator, number] comparisons');
  }
  const [operator, bound, upperOperator, upperBound] = operand;
  if (operand.length === 2) {
    return numberTest(comparison(operator, bound, ["=", "<", "<=", ">", ">="], path).test);
  }
  const lower = comparison(operator, bound, [">", ">="], path);
  const upper = comparison(upperOperator, upperBound, ["<", "<="], path);
  if (lower.bound >= upper.bound) {
    throw invalid(path, '"numeric" range must have its lower bound below its upper bound');
  }
  return numberTest((value) => lower.test(value) && upper.test(value));
}

function comparison(
  operator: unknown,
  bound: unknown,
  allowed: readonly NumericOperator[],
  path: string,
): Comparison {
  const compare = allowed.some((name) => name === operator) ? comparators.get(String(operator)) : undefined;
  if (compare === undefined) {
    throw invalid(path, `"numeric" operator ${JSON.stringify(operator)} must be one of ${allowed.join(" ")}`);
  }
  if (typeof bound !== "number" || !Number.isFinite(bound)) {
    throw invalid(path, `"numeric" operator ${String(operator)} must be followed by a number`);
  }
  return { bound, test: (value) => compare(value, bound) };
}

/**
 * The literal segments between the wildcards of a `wildcard` pattern: `*` matches any run of characters,
 * `\*` a literal asterisk and `\\` a literal backslash.
 */
function parseWildcard(pattern: string, path: string): string[] {
  const segments = [""];
  let escaped = false;
  let afterWildcard = false;
  for (const character of pattern) {
    const isWildcard = character === "*" && !escaped;
    if (isWildcard && afterWildcard) throw invalid(path, '"wildcard" cannot hold consecutive "*"');
    if (escaped && character !== "*" && character !== "\\") {
      throw invalid(path, `"wildcard" cannot escape "${character}"`);
    }
    if (isWildcard) segments.push("");
    else if (character === "\\" && !escaped) escaped = true;
    else {
      segments[segments.length - 1] += character;
      escaped = false;
    }
    afterWildcard = isWildcard;
  }
  if (escaped) throw invalid(path, '"wildcard" cannot end with a lone backslash');
  return segments;
}

function compileWildcard(pattern: string, path: string): (text: string) => boolean {
  const segments = parseWildcard(pattern, path);
  return (text) => matchesSegments(segments, text);
}

/** Greedy leftmost placement of the middle segments is enough, since `*` is the only wildcard. */
function matchesSegments(segments: readonly string[], text: string): boolean {
  const first = segments[0] ?? "";
  const last = segments.at(-1) ?? "";
  if (segments.length === 1) return text === first;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) {
    return false;
  }
  const end = text.length - last.length;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = text.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}

function startsWith(prefix: string): (text: string) => boolean {
  return (text) => text.startsWith(prefix);
}

function endsWith(suffix: string): (text: string) => boolean {
  return (text) => text.endsWith(suffix);
}

function equalsIgnoreCase(expected: string): (text: string) => boolean {
  const folded = expected.toLowerCase();
  return (text) => text.toLowerCase() === folded;
}

function stringTest(test: (text: string) => boolean): LeafTest {
  return (leaf) => typeof leaf === "string" && test(leaf);
}

function numberTest(test: (value: number) => boolean): LeafTest {
  return (leaf) => typeof leaf === "number" && test(leaf);
}

function anyOf(tests: readonly ((text: string) => boolean)[]): LeafTest {
  return stringTest((text) => tests.some((test) => test(text)));
}

function not(test: LeafTest): LeafTest {
  return (leaf) => !test(leaf);
}

function anyLeaf(test: LeafTest): LeavesTest {
  return (leaves) => leaves.some(test);
}

function requireString(name: string, operand: unknown, path: string): string {
  if (typeof operand !== "string") throw invalid(path, `"${name}" takes a string`);
  return operand;
}

function requireNonEmptyString(name: string, operand: unknown, path: string): string {
  const text = requireString(name, operand, path);
  if (text === "") throw invalid(path, `"${name}" cannot be empty`);
  return text;
}

function requireStrings(name: string, operand: unknown, path: string): readonly string[] {
  if (typeof operand === "string") return [operand];
  if (isStringList(operand) && operand.length > 0) return operand;
  throw invalid(path, `"${name}" takes a string or a non-empty list of strings`);
}

function onlyEntry(object: Record<string, unknown>, path: string, what: string): [string, unknown] {
  const [entry, ...others] = Object.entries(object);
  if (entry === undefined || others.length > 0) {
    throw invalid(path, `${what} must have exactly one key, found ${JSON.stringify(Object.keys(object))}`);
  }
  return entry;
}

/** The leaf values at a field, arrays flattened; objects are not leaves, so an object-valued field has none. */
function leavesOf(value: unknown): JsonLeaf[] {
  return flatten(value).filter(isLeaf);
}

/** The nodes a nested pattern is tried against: each element of an array (none: as if absent), or the value. */
function candidatesOf(value: unknown): unknown[] {
  const nodes = flatten(value);
  return nodes.length > 0 ? nodes : [undefined];
}

function flatten(value: unknown): unknown[] {
  return isList(value) ? value.flatMap(flatten) : [value];
}

function fieldOf(node: unknown, key: string): unknown {
  return isRecord(node) && Object.hasOwn(node, key) ? node[key] : undefined;
}

function isLeaf(value: unknown): value is JsonLeaf {
  return (
    value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function isStringList(value: unknown): value is readonly string[] {
  return isList(value) && value.every((item) => typeof item === "string");
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function invalid(path: string, problem: string): Error {
  return new Error(`Invalid event pattern at "${path || "(root)"}": ${problem}`);
}
