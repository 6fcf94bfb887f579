import { describe, expect, it } from "vitest";
import { localDateTimeReader } from "../../shared/attendance/parse/dates.ts";
import { durationSecondsOf } from "../../shared/attendance/parse/durations.ts";
import { collectPeople } from "../../shared/attendance/parse/people.ts";

describe("durations", () => {
  it.each([
    ["1h 21m 3s", 4863],
    ["38m 30s", 2310],
    ["30s", 30],
    ["45 mins", 2700],
    ["1 hr 5 mins", 3900],
    ["1 heure et 5 minutes", 3900],
    ["33", 1980],
    ["45,5", 2730],
    ["01:21:03", 4863],
  ])("reads %s as %i seconds", (cell, seconds) => {
    expect(durationSecondsOf(cell)).toBe(seconds);
  });

  it.each(["--", "", "5 apples", "soon"])("reads %j as no duration", (cell) => {
    expect(durationSecondsOf(cell)).toBeUndefined();
  });
});

describe("report dates", () => {
  it("read day first when some first number is above 12, for the whole column", () => {
    const read = localDateTimeReader(["05/07/19, 15:00:12", "13/07/19, 09:00:00"], "month-first");

    expect(read("05/07/19, 15:00:12")).toBe("2019-07-05T15:00:12");
  });

  it("read month first when some second number is above 12", () => {
    const read = localDateTimeReader(["07/05/2019 15:00", "07/31/2019 09:00"], "day-first");

    expect(read("07/05/2019 15:00")).toBe("2019-07-05T15:00:00");
  });

  it("read month first on AM/PM when the numbers cannot tell", () => {
    const read = localDateTimeReader(["3/7/24, 3:00:12 PM"], "day-first");

    expect(read("3/7/24, 3:00:12 PM")).toBe("2024-03-07T15:00:12");
  });

  it("read day first with am/pm when the numbers say so (en-AU)", () => {
    const read = localDateTimeReader(["31/07/19, 3:00:12 pm", "05/08/19, 9:00:00 am"], "month-first");

    expect(read("05/08/19, 9:00:00 am")).toBe("2019-08-05T09:00:00");
  });

  it("fall back to the platform's order when nothing tells", () => {
    expect(localDateTimeReader(["05/07/19, 15:00"], "day-first")("05/07/19, 15:00")).toBe(
      "2019-07-05T15:00:00",
    );
    expect(localDateTimeReader(["05/07/19, 15:00"], "month-first")("05/07/19, 15:00")).toBe(
      "2019-05-07T15:00:00",
    );
  });

  it("turn 12 AM into midnight and 12 PM into noon", () => {
    const read = localDateTimeReader([], "month-first");

    expect(read("07/31/2019 12:05:00 AM")).toBe("2019-07-31T00:05:00");
    expect(read("07/31/2019 12:05:00 PM")).toBe("2019-07-31T12:05:00");
  });

  it("read named months, ISO dates and dates with a narrow no-break space before PM", () => {
    const read = localDateTimeReader([], "month-first");

    expect(read("Jul 31, 2019 10:59:02")).toBe("2019-07-31T10:59:02");
    expect(read("2019-07-31 10:59:02")).toBe("2019-07-31T10:59:02");
    expect(read("7/31/19, 3:00:12\u202fPM")).toBe("2019-07-31T15:00:12");
  });

  it("refuse impossible dates and placeholders", () => {
    const read = localDateTimeReader([], "month-first");

    expect(read("02/30/2024 10:00 AM")).toBeUndefined();
    expect(read("13/13/2024 10:00")).toBeUndefined();
    expect(read("--")).toBeUndefined();
  });
});

describe("merging a person's rows", () => {
  it("counts time covered by two overlapping stays once, and a stay inside another not at all", () => {
    const [person] = collectPeople([
      { email: "a@example.org", name: "A", join: "2024-01-01T10:00:00", leave: "2024-01-01T11:00:00" },
      { email: "a@example.org", name: "A", join: "2024-01-01T10:30:00", leave: "2024-01-01T11:30:00" },
      { email: "a@example.org", name: "A", join: "2024-01-01T10:40:00", leave: "2024-01-01T10:50:00" },
    ]);

    expect(person).toMatchObject({
      minutes: 90,
      firstJoin: "2024-01-01T10:00:00",
      lastLeave: "2024-01-01T11:30:00",
    });
  });

  it("adds stays that only have a duration", () => {
    const [person] = collectPeople([
      { email: "a@example.org", name: "A", seconds: 600 },
      { email: "a@example.org", name: "A", join: "2024-01-01T10:00:00", leave: "2024-01-01T10:05:00" },
    ]);

    expect(person?.minutes).toBe(15);
  });

  it("counts someone as attended when any of their rows says so", () => {
    const [person] = collectPeople([
      { email: "a@example.org", name: "A", attended: false },
      { email: "a@example.org", name: "A", attended: true, seconds: 60 },
    ]);

    expect(person?.attended).toBe(true);
  });
});
