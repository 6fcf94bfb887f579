import { describe, expect, it } from "vitest";
import { parseDurationMs } from "../../shared/domain/duration.ts";
import { eventInputSchema, publicView, type WebinarEvent } from "../../shared/domain/event.ts";
import { sampleEvent } from "../support/sample-event.ts";

const issuePaths = (input: unknown) =>
  eventInputSchema.safeParse(input).error?.issues.map((issue) => issue.path.join(".")) ?? [];

describe("event settings", () => {
  it("accepts the documented body and defaults the reminders to 7 days, 1 day and 1 hour", () => {
    const { reminders: _omitted, ...withoutReminders } = sampleEvent();

    expect(eventInputSchema.parse(withoutReminders).reminders).toEqual(["P7D", "P1D", "PT1H"]);
  });

  it("refuses reminder offsets that spell the same duration, and offsets longer than a year", () => {
    const event = sampleEvent();
    const messages = (reminders: string[]) =>
      eventInputSchema.safeParse({ ...event, reminders }).error?.issues.map((issue) => issue.message) ?? [];

    expect(messages(["P1D", "PT24H"])).toEqual(["P1D and PT24H are the same offset: list it once"]);
    expect(messages(["PT1440M", "P1D"])).toEqual(["PT1440M and P1D are the same offset: list it once"]);
    expect(messages(["P7D", "P7D"])).toEqual(["list each offset once (P7D is twice)"]);
    expect(messages(["P366D"])).toEqual(["must be at most a year (P365D)"]);
    expect(messages(["P52W", "P365D", "P1D"])).toEqual([]);
  });

  it("refuses session ids that are not slugs and duplicate session ids", () => {
    const event = sampleEvent();
    const [first] = event.sessions;

    expect(issuePaths({ ...event, sessions: [{ ...first, id: "Français" }] })).toEqual(["sessions.0.id"]);
    expect(issuePaths({ ...event, sessions: [first, first] })).toEqual(["sessions.1.id"]);
  });

  it("requires a title in the language of every session", () => {
    const event = sampleEvent();

    expect(issuePaths({ ...event, title: { en: "Only English" } })).toEqual(["title.fr"]);
  });

  it("refuses an unknown language, time zone, or a date without a time zone offset", () => {
    const event = sampleEvent();
    const [first] = event.sessions;

    expect(issuePaths({ ...event, sessions: [{ ...first, language: "xx" }] })).toContain(
      "sessions.0.language",
    );
    expect(issuePaths({ ...event, sessions: [{ ...first, timezone: "Paris" }] })).toEqual([
      "sessions.0.timezone",
    ]);
    expect(issuePaths({ ...event, sessions: [{ ...first, startsAt: "2027-03-04T09:00:00" }] })).toEqual([
      "sessions.0.startsAt",
    ]);
  });

  it("keeps join URLs out of the public view", () => {
    const event = {
      ...eventInputSchema.parse(sampleEvent()),
      id: "x",
      createdAt: "",
      updatedAt: "",
    } as WebinarEvent;

    expect(JSON.stringify(publicView(event))).not.toContain("joinUrl");
    expect(publicView(event).sessions).toHaveLength(2);
  });
});

describe("reminder offsets", () => {
  it("reads days, hours, minutes and combinations", () => {
    expect(parseDurationMs("P7D")).toBe(7 * 24 * 3600 * 1000);
    expect(parseDurationMs("PT1H")).toBe(3600 * 1000);
    expect(parseDurationMs("P1DT12H30M")).toBe((36 * 60 + 30) * 60 * 1000);
    expect(parseDurationMs("P2W")).toBe(14 * 24 * 3600 * 1000);
  });

  it("refuses months, years, empty and malformed durations", () => {
    for (const text of ["P1M", "P1Y", "P", "PT", "1H", "P1H", "PT0S", ""])
      expect(parseDurationMs(text)).toBeUndefined();
  });
});
