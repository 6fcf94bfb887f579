import { describe, expect, it } from "vitest";
import { compilePattern, type EventPattern } from "../../infra/local/event-pattern.ts";

/**
 * Behaviour the EventBridge documentation leaves to its engine, aws/event-ruler (the source named in each
 * test is where the behaviour comes from). Patterns and events are given as JSON text, as EventBridge gets
 * them, where the text matters (repeated keys, key order, large numbers).
 */

function matches(pattern: EventPattern | string, event: Record<string, unknown> | string): boolean {
  return compilePattern(pattern)(event);
}

describe("$or beside the same field (event-ruler JsonRuleCompiler: each alternative forks the branch, a field written again overrides it)", () => {
  it("lets an alternative replace the field's values given before the $or", () => {
    const rule = '{"source": ["a"], "$or": [{"source": ["b"]}, {"detail-type": ["x"]}]}';

    expect(matches(rule, { source: "b", "detail-type": "y" })).toBe(true);
    expect(matches(rule, { source: "a", "detail-type": "x" })).toBe(true);
    expect(matches(rule, { source: "a", "detail-type": "y" })).toBe(false);
  });

  it("lets the field written after the $or replace the alternative's values", () => {
    const rule = '{"$or": [{"source": ["b"]}, {"detail-type": ["x"]}], "source": ["a"]}';

    expect(matches(rule, { source: "a", "detail-type": "y" })).toBe(true);
    expect(matches(rule, { source: "b", "detail-type": "y" })).toBe(false);
  });

  it("keeps the last of a repeated key (AWS documentation, complex example)", () => {
    const rule = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';

    expect(matches(rule, { detail: { location: "eu-central-1" } })).toBe(true);
    expect(matches(rule, { detail: { location: "us-east" } })).toBe(false);
  });
});

describe("exists: false inside arrays of objects (event-ruler ACFinder and NameState: absence is judged against the array elements consistent with the fields matched before it, in field-name order)", () => {
  const event = { detail: { items: [{ a: 1 }, { b: 2 }] } };

  it("counts a field as present when any element holds it", () => {
    expect(matches({ detail: { items: { b: [{ exists: false }] } } }, event)).toBe(false);
    expect(matches({ detail: { items: { c: [{ exists: false }] } } }, event)).toBe(true);
  });

  it("looks only at the element already matched by an earlier field", () => {
    const rule: EventPattern = { detail: { items: { a: [1], b: [{ exists: false }] } } };

    expect(matches(rule, event)).toBe(true);
    expect(matches(rule, { detail: { items: [{ a: 1, b: 3 }, { b: 2 }] } })).toBe(false);
  });

  it("judges an absence before the fields that sort after it", () => {
    // "a" sorts before "b": when "a" is judged, no element is chosen yet and element 0 holds an "a".
    const rule: EventPattern = { detail: { items: { a: [{ exists: false }], b: [2] } } };

    expect(matches(rule, event)).toBe(false);
    expect(matches(rule, { detail: { items: [{ c: 1 }, { b: 2 }] } })).toBe(true);
  });
});

describe("equals-ignore-case (event-ruler EqualsIgnoreCaseParser: each pattern unit matches its lower- or upper-case form)", () => {
  it("matches the upper-case expansion of a character, not another lower-case spelling", () => {
    const rule: EventPattern = { detail: { city: [{ "equals-ignore-case": "straße" }] } };

    expect(matches(rule, { detail: { city: "STRASSE" } })).toBe(true);
    expect(matches(rule, { detail: { city: "Straße" } })).toBe(true);
    expect(matches(rule, { detail: { city: "strasse" } })).toBe(false);
  });

  it("does not fold compatibility characters such as the Kelvin sign", () => {
    const rule: EventPattern = { detail: { unit: [{ "equals-ignore-case": "k" }] } };

    expect(matches(rule, { detail: { unit: "K" } })).toBe(true);
    expect(matches(rule, { detail: { unit: "\u212A" } })).toBe(false);
  });

  it("applies to prefix, suffix and anything-but alike", () => {
    expect(matches({ v: [{ prefix: { "equals-ignore-case": "GRÜ" } }] }, { v: "grüße" })).toBe(true);
    expect(matches({ v: [{ suffix: { "equals-ignore-case": "SS" } }] }, { v: "gruß" })).toBe(false);
    expect(matches({ v: [{ suffix: { "equals-ignore-case": "ß" } }] }, { v: "GRUSS" })).toBe(true);
    expect(matches({ v: [{ "anything-but": { "equals-ignore-case": ["ÉTÉ"] } }] }, { v: "été" })).toBe(false);
  });
});

describe("numbers (event-ruler ComparableNumber and JsonRuleCompiler: exact text, or the same value within ±5e9 and six decimals)", () => {
  it("never collapses integers beyond 2^53 when the event is JSON text", () => {
    const rule = '{"detail": {"id": [9007199254740993]}}';

    expect(matches(rule, '{"detail": {"id": 9007199254740993}}')).toBe(true);
    expect(matches(rule, '{"detail": {"id": 9007199254740992}}')).toBe(false);
  });

  it("compares values within EventBridge's range exactly, whatever their spelling", () => {
    expect(matches('{"n": [300]}', '{"n": 300.0}')).toBe(true);
    expect(matches('{"n": [300]}', '{"n": 3e2}')).toBe(true);
    expect(matches('{"n": [0.1]}', '{"n": 0.10000001}')).toBe(false);
    expect(matches('{"n": [{"numeric": ["=", 0.3]}]}', '{"n": 0.30}')).toBe(true);
  });

  it("matches numbers beyond the range by their text only", () => {
    expect(matches('{"n": [5000000001]}', '{"n": 5000000001}')).toBe(true);
    expect(matches('{"n": [5000000001]}', '{"n": 5000000001.0}')).toBe(false);
  });

  it("lets numeric filters see only numbers it can compare", () => {
    const rule: EventPattern = { n: [{ numeric: [">", 0] }] };

    expect(matches(rule, '{"n": 0.000001}')).toBe(true);
    expect(matches(rule, '{"n": 0.0000001}')).toBe(false);
    expect(matches(rule, '{"n": 5000000001}')).toBe(false);
  });
});

describe("IP addresses (event-ruler CIDR)", () => {
  it("matches IPv4 and IPv6 ranges, whatever the spelling of the address", () => {
    expect(matches({ ip: [{ cidr: "10.0.0.0/24" }] }, { ip: "10.0.0.255" })).toBe(true);
    expect(matches({ ip: [{ cidr: "10.0.0.0/24" }] }, { ip: "10.0.1.0" })).toBe(false);
    expect(matches({ ip: [{ cidr: "2001:db8::/32" }] }, { ip: "2001:0DB8:0000:0000::ffff" })).toBe(true);
    expect(matches({ ip: [{ cidr: "2001:db8::/32" }] }, { ip: "10.0.0.1" })).toBe(false);
  });

  it("starts the range at the address written, host bits included", () => {
    expect(matches({ ip: [{ cidr: "10.0.0.5/24" }] }, { ip: "10.0.0.4" })).toBe(false);
    expect(matches({ ip: [{ cidr: "10.0.0.5/24" }] }, { ip: "10.0.0.200" })).toBe(true);
  });

  it("treats an exact IP value as an address", () => {
    expect(matches({ ip: ["2001:db8::1"] }, { ip: "2001:0db8:0:0:0:0:0:0001" })).toBe(true);
    expect(matches({ ip: ["::ffff:a00:1"] }, { ip: "10.0.0.1" })).toBe(true);
  });
});

describe("wildcard complexity (event-ruler MachineComplexityEvaluator; EventBridge: 'Rule is too complex')", () => {
  const tooComplex = /Rule is too complex - try using fewer wildcard characters/;

  it("refuses many wildcards before a repeated character, as AWS did", () => {
    expect(() => compilePattern({ arn: [{ wildcard: "*:*:*:*:*:event-bus/*" }] })).toThrow(tooComplex);
    expect(() => compilePattern({ arn: [{ wildcard: "arn:aws:events:*:*:event-bus/*" }] })).not.toThrow();
  });

  it("adds up the wildcards of one field across values and $or alternatives, not across fields", () => {
    const perField = ["*a*a*", "*b*b*"];

    expect(() => compilePattern({ x: perField.map((wildcard) => ({ wildcard })) })).toThrow(tooComplex);
    expect(() => compilePattern({ $or: perField.map((wildcard) => ({ x: [{ wildcard }] })) })).toThrow(
      tooComplex,
    );
    expect(() => compilePattern({ x: [{ wildcard: "*a*a*" }], y: [{ wildcard: "*b*b*" }] })).not.toThrow();
  });
});
