import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AttendanceReport, parseAttendanceReport } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));
const personWith = (report: AttendanceReport, email: string) => report.people.find((p) => p.email === email);

describe("a Zoom webinar attendee report (sample, named-month dates)", () => {
  const report = parseAttendanceReport(fixture("zoom-webinar-attendee-report.csv"));

  it("is recognised from its preamble and sections", () => {
    expect(report.format).toBe("zoom-webinar");
  });

  it("reads only the attendee rows, one per stay, and leaves the host and panelist out", () => {
    expect(report.rows).toBe(5);
    expect(report.people.map((p) => p.email)).toEqual([
      "amal.testfixture@example.org",
      "jonas.placeholder@example.net",
      "marta.sample@example.com",
      "walk.in@example.org",
    ]);
  });

  it("adds up the minutes of someone who rejoined (33 + 60) under her lowercased email", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toEqual({
      email: "amal.testfixture@example.org",
      name: "Amal Testfixture",
      minutes: 93,
      firstJoin: "2019-07-31T10:59:02",
      lastLeave: "2019-07-31T12:35:01",
      attended: true,
      segments: [
        { join: "2019-07-31T10:59:02", leave: "2019-07-31T11:31:40", minutes: 33 },
        { join: "2019-07-31T11:35:10", leave: "2019-07-31T12:35:01", minutes: 60 },
      ],
    });
  });

  it("keeps a registrant who did not come (Attended No, `--`) as explicitly absent with no time", () => {
    expect(personWith(report, "marta.sample@example.com")).toEqual({
      email: "marta.sample@example.com",
      name: "Marta Sample",
      minutes: 0,
      attended: false,
      segments: [],
    });
  });
});

describe("a Zoom webinar attendee report with US dates, renamed users and custom questions", () => {
  const report = parseAttendanceReport(fixture("zoom-webinar-us-dates.csv"));

  it("is recognised despite the rows padded with trailing commas", () => {
    expect(report.format).toBe("zoom-webinar");
    expect(report.rows).toBe(5);
  });

  it("reads `08/14/2024 03:00:15 PM` as 24-hour wall time", () => {
    expect(personWith(report, "jonas.placeholder@example.net")).toMatchObject({
      firstJoin: "2024-08-14T15:00:15",
      lastLeave: "2024-08-14T16:34:59",
      minutes: 95,
    });
  });

  it("names a renamed attendee by the original name in `User Name (Original Name)`", () => {
    expect(personWith(report, "amal.testfixture@example.org")?.name).toBe("Amal Testfixture");
  });

  it("counts the overlap of a rejoin from a second device once (33 + 60 - 11.5)", () => {
    expect(personWith(report, "amal.testfixture@example.org")?.minutes).toBe(81.5);
  });

  it("leaves hosts and panelists out but reads the Other Attended section", () => {
    const emails = report.people.map((p) => p.email);
    expect(emails).not.toContain("host@example.org");
    expect(emails).not.toContain("speaker@example.org");
    expect(personWith(report, "lina.observer@example.org")).toMatchObject({ minutes: 30 });
    expect(personWith(report, "lina.observer@example.org")).not.toHaveProperty("attended");
  });

  it("keeps the no-show explicit", () => {
    expect(personWith(report, "marta.sample@example.com")).toMatchObject({ attended: false, minutes: 0 });
  });
});
