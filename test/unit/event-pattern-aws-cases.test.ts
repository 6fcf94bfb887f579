import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compilePattern, InvalidEventPatternError } from "../../infra/local/event-pattern.ts";

/**
 * Cases recorded against real EventBridge by LocalStack's test_events_patterns.py (TestEventPattern and
 * PutEvents, validated 2024-12-05): each fixture names the template it comes from and the documentation
 * example it was based on. Where AWS's refusal text was recorded (test_events_patterns.snapshot.json) the
 * reason must be AWS's, word for word.
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

const { cases } = fixtureSchema.parse(
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, "../fixtures/event-patterns/localstack-aws-validated.json"),
      "utf8",
    ),
  ),
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

describe("local EventBridge matching against cases recorded on AWS", () => {
  it("covers every outcome", () => {
    const outcomes = new Set(cases.map((fixture) => fixture.expected));

    expect(cases.length).toBeGreaterThanOrEqual(150);
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
