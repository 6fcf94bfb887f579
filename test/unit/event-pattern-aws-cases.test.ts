import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compilePattern, InvalidEventPatternError } from "../../infra/local/event-pattern.ts";

/**
 * Public cases with a known outcome: those LocalStack's test_events_patterns.py ran against real EventBridge
 * (TestEventPattern and PutEvents, validated 2024-12-05), and the examples of EventBridge's engine's own
 * README (aws/event-ruler). Each fixture names where it comes from. Where AWS's refusal text was recorded
 * (test_events_patterns.snapshot.json) the reason must be AWS's, word for word.
 */
const fixtureSchema = z.object({
  cases: z.array(
    z.object({
      name: z.string(),
      expected: z.enum(["match", "no-match", "invalid"]),
      source: z.string(),
      event: z.record(z.string(), z.unknown()).optional(),
      eventText: z.string().optional(),
      pattern: z.record(z.string(), z.unknown()).optional(),
      patternText: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

const fixtureFiles = ["localstack-aws-validated.json", "event-ruler-readme.json"];
const cases = fixtureFiles.flatMap(
  (file) =>
    fixtureSchema.parse(
      JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/event-patterns", file), "utf8")),
    ).cases,
);

/** What the local matcher answers, in the fixture's terms. */
function outcome(pattern: string, event: string): { expected: string; reason?: string } {
  try {
    return { expected: compilePattern(pattern)(event) ? "match" : "no-match" };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return { expected: "invalid", reason: error.reason };
    throw error;
  }
}

describe("local EventBridge matching against public cases with a known outcome", () => {
  it("covers every outcome", () => {
    const outcomes = new Set(cases.map((fixture) => fixture.expected));

    expect(cases.length).toBeGreaterThanOrEqual(180);
    expect(outcomes).toEqual(new Set(["match", "no-match", "invalid"]));
  });

  it.each(cases)("$name ($source)", (fixture) => {
    // Both sides as JSON text, as TestEventPattern and PutEvents receive them.
    const pattern = fixture.patternText ?? JSON.stringify(fixture.pattern);
    const event = fixture.eventText ?? JSON.stringify(fixture.event);

    const answer = outcome(pattern, event);

    expect(answer).toEqual(
      fixture.expected === "invalid"
        ? { expected: "invalid", reason: fixture.reason }
        : { expected: fixture.expected },
    );
  });
});
