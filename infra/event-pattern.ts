/**
 * The EventBridge event pattern, as the wiring list writes a rule: EventBridge's own JSON form, which
 * the CDK stack deploys and the local bus matches. Types only, so production infrastructure depends on
 * this shape, never on the local emulator that implements the matching (`infra/local/event-pattern.ts`).
 */

export type JsonLeaf = string | number | boolean | null;

export type NumericOperator = "=" | "<" | "<=" | ">" | ">=";

type IgnoreCase<Operand> = { readonly "equals-ignore-case": Operand };

type OneOrMany<Value> = Value | readonly Value[];

/** What `anything-but` excludes: values, or strings by prefix, suffix, any case or wildcard (one or a list). */
type AnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: OneOrMany<string> }
  | { readonly suffix: OneOrMany<string> }
  | IgnoreCase<OneOrMany<string>>
  | { readonly wildcard: OneOrMany<string> };

/**
 * A numeric comparison: one `[operator, number]`, or a range `[">" | ">=", low, "<" | "<=", high]`.
 * EventBridge compares numbers between -5e9 and 5e9 with six decimals.
 */
type NumericRange = readonly [NumericOperator, number] | readonly [">" | ">=", number, "<" | "<=", number];

/** One content filter, e.g. `{"prefix": "convene."}`, `{"numeric": [">", 0, "<=", 5]}` or `{"cidr": "10.0.0.0/24"}`. */
export type ContentFilter =
  | { readonly prefix: string | IgnoreCase<string> }
  | { readonly suffix: string | IgnoreCase<string> }
  | IgnoreCase<string>
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly numeric: NumericRange }
  | { readonly cidr: string }
  | { readonly "anything-but": AnythingBut };

/** A value listed for a field: an exact JSON value or a content filter. */
export type PatternValue = JsonLeaf | ContentFilter;

/**
 * An EventBridge event pattern, in its JSON form (kebab-case keys such as "detail-type"). A field maps to
 * the list of values it may take, or to a nested pattern; `"$or"` maps to two or more alternative patterns.
 * A key may name a nested field with dots (`"state.status"`), as on EventBridge.
 */
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
}
