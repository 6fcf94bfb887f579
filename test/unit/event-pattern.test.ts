import { describe, expect, it } from "vitest";
import {
  compilePattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesPattern,
} from "../../infra/local/event-pattern.ts";

type Detail = Record<string, unknown>;

function envelope(detail: Detail = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "RegistrationConfirmed",
    source: "convene.registrations",
    account: "123456789012",
    time: "2025-03-01T10:00:00Z",
    region: "eu-west-3",
    resources: [],
    detail,
    ...overrides,
  };
}

/** A rule on one detail field, so each test states only the filter under test. */
function onDetail(field: string, values: EventPattern[string]): EventPattern {
  return { detail: { [field]: values } };
}

/** Patterns written by hand are type-checked; these come in as JSON, as a misconfigured rule would. */
function fromJson(json: string): EventPattern {
  return JSON.parse(json);
}

describe("matchesPattern", () => {
  describe("exact values", () => {
    it("routes a detail-type listed in the rule", () => {
      const rule: EventPattern = { "detail-type": ["RegistrationConfirmed", "RegistrationCancelled"] };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(matchesPattern(rule, envelope({}, { "detail-type": "SessionScheduled" }))).toBe(false);
    });

    it("requires every field of the rule to match", () => {
      const rule: EventPattern = {
        source: ["convene.registrations"],
        "detail-type": ["RegistrationConfirmed"],
      };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(matchesPattern(rule, envelope({}, { source: "convene.sessions" }))).toBe(false);
    });

    it("descends into nested detail fields", () => {
      const rule: EventPattern = { detail: { registrant: { language: ["fr"] } } };

      expect(matchesPattern(rule, envelope({ registrant: { language: "fr" } }))).toBe(true);
      expect(matchesPattern(rule, envelope({ registrant: { language: "en" } }))).toBe(false);
    });

    it("is case-sensitive on strings", () => {
      const rule = onDetail("status", ["confirmed"]);

      expect(matchesPattern(rule, envelope({ status: "confirmed" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ status: "Confirmed" }))).toBe(false);
    });

    it("compares numbers by value and never equates them with strings", () => {
      const rule = onDetail("seats", [300]);

      expect(matchesPattern(rule, envelope({ seats: JSON.parse("300.0") }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: "300" }))).toBe(false);
    });

    it("matches booleans exactly", () => {
      const rule = onDetail("reminders", [true]);

      expect(matchesPattern(rule, envelope({ reminders: true }))).toBe(true);
      expect(matchesPattern(rule, envelope({ reminders: "true" }))).toBe(false);
    });

    it("matches null, which is neither an empty string nor an absent field", () => {
      const rule = onDetail("cancelledAt", [null]);

      expect(matchesPattern(rule, envelope({ cancelledAt: null }))).toBe(true);
      expect(matchesPattern(rule, envelope({ cancelledAt: "" }))).toBe(false);
      expect(matchesPattern(rule, envelope({}))).toBe(false);
    });

    it("matches an empty string only against an empty string", () => {
      const rule = onDetail("note", [""]);

      expect(matchesPattern(rule, envelope({ note: "" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ note: null }))).toBe(false);
    });
  });

  describe("arrays in the event", () => {
    it("matches an array field when any element matches", () => {
      const rule: EventPattern = { resources: ["arn:aws:events:eu-west-3:123456789012:session/s-2"] };
      const resources = [
        "arn:aws:events:eu-west-3:123456789012:session/s-1",
        "arn:aws:events:eu-west-3:123456789012:session/s-2",
      ];

      expect(matchesPattern(rule, envelope({}, { resources }))).toBe(true);
      expect(matchesPattern(rule, envelope({}, { resources: resources.slice(0, 1) }))).toBe(false);
    });

    it("applies content filters to each element of an array", () => {
      const rule = onDetail("tags", [{ prefix: "lang:" }]);

      expect(matchesPattern(rule, envelope({ tags: ["public", "lang:fr"] }))).toBe(true);
      expect(matchesPattern(rule, envelope({ tags: ["public", "internal"] }))).toBe(false);
    });

    it("matches a nested pattern against one element of an array of objects", () => {
      const rule: EventPattern = { detail: { speakers: { name: ["Ada"], role: ["host"] } } };
      const speakers = [
        { name: "Ada", role: "host" },
        { name: "Grace", role: "guest" },
      ];

      expect(matchesPattern(rule, envelope({ speakers }))).toBe(true);
      expect(
        matchesPattern(
          rule,
          envelope({
            speakers: [
              { name: "Ada", role: "guest" },
              { name: "Grace", role: "host" },
            ],
          }),
        ),
      ).toBe(false);
    });
  });

  describe("prefix", () => {
    it("matches strings that start with the prefix", () => {
      const rule: EventPattern = { source: [{ prefix: "convene." }] };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(matchesPattern(rule, envelope({}, { source: "aws.ses" }))).toBe(false);
    });

    it("ignores case when asked to", () => {
      const rule: EventPattern = { source: [{ prefix: { "equals-ignore-case": "CONVENE." } }] };

      expect(matchesPattern(rule, envelope({}, { source: "Convene.Registrations" }))).toBe(true);
      expect(matchesPattern(rule, envelope({}, { source: "aws.convene" }))).toBe(false);
    });

    it("only applies to strings", () => {
      const rule = onDetail("seats", [{ prefix: "3" }]);

      expect(matchesPattern(rule, envelope({ seats: "30" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: 30 }))).toBe(false);
    });
  });

  describe("suffix", () => {
    it("matches strings that end with the suffix", () => {
      const rule = onDetail("attachment", [{ suffix: ".pdf" }]);

      expect(matchesPattern(rule, envelope({ attachment: "slides.pdf" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ attachment: "slides.PDF" }))).toBe(false);
    });

    it("ignores case when asked to", () => {
      const rule = onDetail("attachment", [{ suffix: { "equals-ignore-case": ".pdf" } }]);

      expect(matchesPattern(rule, envelope({ attachment: "slides.PDF" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ attachment: "slides.pptx" }))).toBe(false);
    });
  });

  describe("equals-ignore-case", () => {
    it("matches the same string in any case", () => {
      const rule = onDetail("status", [{ "equals-ignore-case": "confirmed" }]);

      expect(matchesPattern(rule, envelope({ status: "CONFIRMED" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ status: "unconfirmed" }))).toBe(false);
    });
  });

  describe("wildcard", () => {
    it("lets * stand for any run of characters, including none", () => {
      const rule = onDetail("email", [{ wildcard: "*@*.example.org" }]);

      expect(matchesPattern(rule, envelope({ email: "ada@lists.example.org" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ email: "ada@example.org" }))).toBe(false);
    });

    it("anchors the pattern at both ends", () => {
      const rule = onDetail("path", [{ wildcard: "sessions/*/registrations" }]);

      expect(matchesPattern(rule, envelope({ path: "sessions/s-1/registrations" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ path: "sessions/s-1/registrations/r-1" }))).toBe(false);
    });

    it("does not let a segment overlap the one after it", () => {
      const rule = onDetail("code", [{ wildcard: "ab*ba" }]);

      expect(matchesPattern(rule, envelope({ code: "abba" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ code: "aba" }))).toBe(false);

      const middle = onDetail("code", [{ wildcard: "a*bc*cd" }]);
      expect(matchesPattern(middle, envelope({ code: "abccd" }))).toBe(true);
      expect(matchesPattern(middle, envelope({ code: "abcd" }))).toBe(false);
    });

    it("matches a literal asterisk when it is escaped", () => {
      const rule = onDetail("title", [{ wildcard: "5\\* webinar" }]);

      expect(matchesPattern(rule, envelope({ title: "5* webinar" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ title: "5 star webinar" }))).toBe(false);
    });
  });

  describe("anything-but", () => {
    it("excludes a listed value", () => {
      const rule = onDetail("status", [{ "anything-but": "cancelled" }]);

      expect(matchesPattern(rule, envelope({ status: "confirmed" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ status: "cancelled" }))).toBe(false);
    });

    it("excludes every value of a list", () => {
      const rule = onDetail("status", [{ "anything-but": ["cancelled", "rejected"] }]);

      expect(matchesPattern(rule, envelope({ status: "confirmed" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ status: "rejected" }))).toBe(false);
    });

    it("excludes numbers", () => {
      const rule = onDetail("seats", [{ "anything-but": [0, 1] }]);

      expect(matchesPattern(rule, envelope({ seats: 2 }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: 0 }))).toBe(false);
    });

    it("excludes a prefix", () => {
      const rule: EventPattern = { region: [{ "anything-but": { prefix: "us-" } }] };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(matchesPattern(rule, envelope({}, { region: "us-east-1" }))).toBe(false);
    });

    it("excludes a suffix", () => {
      const rule = onDetail("attachment", [{ "anything-but": { suffix: ".exe" } }]);

      expect(matchesPattern(rule, envelope({ attachment: "slides.pdf" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ attachment: "setup.exe" }))).toBe(false);
    });

    it("excludes values in any case", () => {
      const rule = onDetail("status", [
        { "anything-but": { "equals-ignore-case": ["cancelled", "rejected"] } },
      ]);

      expect(matchesPattern(rule, envelope({ status: "confirmed" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ status: "CANCELLED" }))).toBe(false);
    });

    it("excludes a wildcard", () => {
      const rule = onDetail("path", [{ "anything-but": { wildcard: "*/internal/*" } }]);

      expect(matchesPattern(rule, envelope({ path: "sessions/public/s-1" }))).toBe(true);
      expect(matchesPattern(rule, envelope({ path: "sessions/internal/s-1" }))).toBe(false);
    });

    it("matches an array holding at least one value that is not excluded", () => {
      const rule = onDetail("tags", [{ "anything-but": "internal" }]);

      expect(matchesPattern(rule, envelope({ tags: ["internal", "public"] }))).toBe(true);
      expect(matchesPattern(rule, envelope({ tags: ["internal"] }))).toBe(false);
    });

    it("is not matched by an absent field", () => {
      const rule = onDetail("status", [{ "anything-but": "cancelled" }]);

      expect(matchesPattern(rule, envelope({ status: "confirmed" }))).toBe(true);
      expect(matchesPattern(rule, envelope({}))).toBe(false);
    });
  });

  describe("exists", () => {
    it("exists: true requires the field", () => {
      const rule = onDetail("cancelledAt", [{ exists: true }]);

      expect(matchesPattern(rule, envelope({ cancelledAt: "2025-03-02T08:00:00Z" }))).toBe(true);
      expect(matchesPattern(rule, envelope({}))).toBe(false);
    });

    it("exists: false requires the field to be absent", () => {
      const rule = onDetail("cancelledAt", [{ exists: false }]);

      expect(matchesPattern(rule, envelope({}))).toBe(true);
      expect(matchesPattern(rule, envelope({ cancelledAt: "2025-03-02T08:00:00Z" }))).toBe(false);
    });

    it("counts a null value as present", () => {
      const rule = onDetail("cancelledAt", [{ exists: true }]);

      expect(matchesPattern(rule, envelope({ cancelledAt: null }))).toBe(true);
      expect(matchesPattern(rule, envelope({ cancelledAt: [] }))).toBe(false);
    });

    it("exists: false holds when a parent object is missing", () => {
      const rule: EventPattern = { detail: { registrant: { phone: [{ exists: false }] } } };

      expect(matchesPattern(rule, envelope({}))).toBe(true);
      expect(matchesPattern(rule, envelope({ registrant: { phone: "+33 1 23 45 67 89" } }))).toBe(false);
    });

    it("only sees leaf values, not objects", () => {
      const present = onDetail("registrant", [{ exists: true }]);
      const absent = onDetail("registrant", [{ exists: false }]);
      const event = envelope({ registrant: { language: "fr" } });

      expect(matchesPattern(absent, event)).toBe(true);
      expect(matchesPattern(present, event)).toBe(false);
    });
  });

  describe("numeric", () => {
    it("matches a value within a two-sided range", () => {
      const rule = onDetail("seats", [{ numeric: [">", 0, "<=", 5] }]);

      expect(matchesPattern(rule, envelope({ seats: 5 }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: 0 }))).toBe(false);
      expect(matchesPattern(rule, envelope({ seats: 5.5 }))).toBe(false);
    });

    it("supports a single comparison with each operator", () => {
      const cases: [EventPattern, number, number][] = [
        [onDetail("seats", [{ numeric: ["=", 3] }]), 3, 4],
        [onDetail("seats", [{ numeric: ["<", 3] }]), 2.9, 3],
        [onDetail("seats", [{ numeric: ["<=", 3] }]), 3, 3.1],
        [onDetail("seats", [{ numeric: [">", 3] }]), 3.1, 3],
        [onDetail("seats", [{ numeric: [">=", 3] }]), 3, 2.9],
      ];

      for (const [rule, inside, outside] of cases) {
        expect(matchesPattern(rule, envelope({ seats: inside }))).toBe(true);
        expect(matchesPattern(rule, envelope({ seats: outside }))).toBe(false);
      }
    });

    it("only applies to numbers", () => {
      const rule = onDetail("seats", [{ numeric: [">=", 1] }]);

      expect(matchesPattern(rule, envelope({ seats: 12 }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: "12" }))).toBe(false);
    });
  });

  describe("$or", () => {
    it("matches when any alternative matches", () => {
      const rule: EventPattern = {
        source: ["convene.registrations"],
        $or: [{ "detail-type": ["RegistrationConfirmed"] }, { detail: { priority: ["high"] } }],
      };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(
        matchesPattern(rule, envelope({ priority: "high" }, { "detail-type": "RegistrationCancelled" })),
      ).toBe(true);
      expect(
        matchesPattern(rule, envelope({ priority: "low" }, { "detail-type": "RegistrationCancelled" })),
      ).toBe(false);
    });

    it("still requires the fields beside it", () => {
      const rule: EventPattern = {
        source: ["convene.registrations"],
        $or: [{ "detail-type": ["RegistrationConfirmed"] }, { "detail-type": ["RegistrationCancelled"] }],
      };

      expect(matchesPattern(rule, envelope())).toBe(true);
      expect(matchesPattern(rule, envelope({}, { source: "convene.sessions" }))).toBe(false);
    });

    it("works inside a nested object", () => {
      const rule: EventPattern = {
        detail: { $or: [{ seats: [{ numeric: [">", 100] }] }, { registrant: { vip: [true] } }] },
      };

      expect(matchesPattern(rule, envelope({ seats: 10, registrant: { vip: true } }))).toBe(true);
      expect(matchesPattern(rule, envelope({ seats: 10, registrant: { vip: false } }))).toBe(false);
    });
  });

  describe("absent fields", () => {
    it("match no filter but exists: false", () => {
      const filters: [EventPattern[string], unknown][] = [
        [["confirmed"], "confirmed"],
        [[null], null],
        [[{ prefix: "con" }], "confirmed"],
        [[{ suffix: "ed" }], "confirmed"],
        [[{ "equals-ignore-case": "CONFIRMED" }], "confirmed"],
        [[{ wildcard: "*" }], "confirmed"],
        [[{ "anything-but": "cancelled" }], "confirmed"],
        [[{ exists: true }], "confirmed"],
        [[{ numeric: [">=", 0] }], 1],
      ];

      for (const [values, present] of filters) {
        const rule = onDetail("status", values);
        expect(matchesPattern(rule, envelope({ status: present }))).toBe(true);
        expect(matchesPattern(rule, envelope({ other: present }))).toBe(false);
      }
      expect(matchesPattern(onDetail("status", [{ exists: false }]), envelope({ other: "confirmed" }))).toBe(
        true,
      );
      expect(matchesPattern(onDetail("status", [{ exists: false }]), envelope({ status: "confirmed" }))).toBe(
        false,
      );
    });

    it("do not match through inherited properties", () => {
      const rule = onDetail("constructor", [{ exists: true }]);

      expect(matchesPattern(rule, envelope({ constructor: "Ada" }))).toBe(true);
      expect(matchesPattern(rule, envelope({}))).toBe(false);
    });
  });

  describe("invalid patterns", () => {
    it("throws EventBridge's InvalidEventPatternException reason on an unknown filter", () => {
      const typo = fromJson('{"source": [{"prefx": "convene."}]}');
      const fixed = fromJson('{"source": [{"prefix": "convene."}]}');

      expect(() => matchesPattern(typo, envelope())).toThrow(
        "Event pattern is not valid. Reason: Unrecognized match type prefx",
      );
      expect(matchesPattern(fixed, envelope())).toBe(true);
    });

    it("rejects the whole rule at compile time, naming where, even where an event would fail an earlier field", () => {
      const rule = fromJson('{"source": ["convene.sessions"], "detail": {"status": [{"anythingbut": "x"}]}}');

      expect(() => compilePattern(rule)).toThrow(/Unrecognized match type anythingbut\n at detail\.status/);
      expect(() => compilePattern(rule)).toThrow(InvalidEventPatternError);
    });

    // Reasons as event-ruler's JsonRuleCompiler words them (EventBridge answers with the same text).
    it.each([
      ['{"source": "convene.registrations"}', '"source" must be an object or an array'],
      ['{"source": []}', "Empty arrays are not allowed"],
      ["{}", "Empty objects are not allowed"],
      ["[]", "Filter is not an object"],
      ['{"source": [{"prefix": "a", "suffix": "b"}]}', "Only one key allowed in match expression"],
      ['{"$or": [{"source": ["a"]}]}', "There must have at least 2 Objects in $or relationship."],
      [
        '{"$or": [{"prefix": ["a"]}, {"b": ["c"]}]}',
        "prefix is Ruler reserved fieldName which cannot be used inside $or.",
      ],
      ['{"detail": {"seats": [{"numeric": ["<", 5, ">", 0]}]}}', "Too many elements in numeric expression"],
      ['{"detail": {"seats": [{"numeric": [">", 5, "<", 5]}]}}', "Bottom must be less than top"],
      ['{"detail": {"seats": [{"numeric": ["==", 5]}]}}', "Unrecognized numeric range operator: =="],
      ['{"detail": {"seats": [{"numeric": [">", "5"]}]}}', "Value of > must be numeric"],
      [
        '{"detail": {"seats": [{"numeric": [">", 5000000001]}]}}',
        "Value must be between -5.0E9 and 5.0E9, inclusive",
      ],
      [
        '{"detail": {"seats": [{"numeric": [">", 0.0000001]}]}}',
        "Only values upto 6 decimals are supported 0.0000001",
      ],
      ['{"detail": {"path": [{"wildcard": "a**b"}]}}', "Consecutive wildcard characters at pos 2"],
      ['{"detail": {"path": [{"wildcard": "a\\\\b"}]}}', "Invalid escape character at pos 2"],
      [
        '{"detail": {"status": [{"anything-but": [1, "a"]}]}}',
        "Inside anything but list, either all values are number or string, mixed type is not supported",
      ],
      ['{"detail": {"status": [{"anything-but": {"prefix": ""}}]}}', "Null prefix/suffix not allowed"],
      [
        '{"detail": {"status": [{"anything-but": {"exists": false}}]}}',
        "Unsupported anything-but pattern: exists",
      ],
      ['{"detail": {"status": [{"exists": "yes"}]}}', "exists match pattern must be either true or false."],
      ['{"detail": {"ip": [{"cidr": "10.0.0.0/32"}]}}', "IPv4 mask bits must be < 32"],
      ['{"detail": {"ip": [{"cidr": "10.0.0.256/8"}]}}', "Invalid IP address: 10.0.0.256"],
      ['{"detail": "x"', "Expected '}' at position 14"],
    ])("rejects %s", (json, reason) => {
      expect(() => compilePattern(json)).toThrow(`Event pattern is not valid. Reason: ${reason}`);
    });

    it("accepts the valid forms of each filter", () => {
      const rule: EventPattern = {
        detail: {
          a: [{ numeric: [">=", 0, "<", 5] }, { numeric: ["=", 7] }],
          b: [
            { "anything-but": { "equals-ignore-case": "x" } },
            { "anything-but": { wildcard: ["a*", "*b"] } },
            { "anything-but": { prefix: ["p-", "q-"] } },
          ],
          c: [{ wildcard: "a\\\\b\\*" }, { "equals-ignore-case": "" }],
          d: [{ cidr: "2001:db8::/32" }],
        },
      };

      expect(compilePattern(rule)(envelope({ a: 1, b: "y", c: "a\\b*", d: "2001:db8::1" }))).toBe(true);
      expect(compilePattern(rule)(envelope({ a: 6, b: "y", c: "a\\b*", d: "2001:db8::1" }))).toBe(false);
    });
  });
});
