/**
 * The EventBridge event pattern, as the wiring list writes a rule: EventBridge's own JSON form, which
 * the CDK stack deploys and the local bus matches. Types only, so production infrastructure depends on
 * this shape, never on the local emulator that implements the matching (`infra/local/event-pattern.ts`).
 */

export type JsonLeaf = string | number | boolean | null;

export type NumericOperator = "=" | "<" | "<=" | ">" | ">=";

type IgnoreCase<Operand> = { readonly "equals-ignore-case": Operand };

type AnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | IgnoreCase<string | readonly string[]>
  | { readonly wildcard: string | readonly string[] };

/** One content filter, e.g. `{"prefix": "convene."}` or `{"numeric": [">", 0, "<=", 5]}`. */
export type ContentFilter =
  | { readonly prefix: string | IgnoreCase<string> }
  | { readonly suffix: string | IgnoreCase<string> }
  | IgnoreCase<string>
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (NumericOperator | number)[] }
  | { readonly "anything-but": AnythingBut };

/** A value listed for a field: an exact JSON value or a content filter. */
export type PatternValue = JsonLeaf | ContentFilter;

/**
 * An EventBridge event pattern, in its JSON form (kebab-case keys such as "detail-type"). A field maps to
 * the list of values it may take, or to a nested pattern; `"$or"` maps to two or more alternative patterns.
 */
export interface EventPattern {
  readonly [field: string]: EventPattern | readonly PatternValue[] | readonly EventPattern[];
}
