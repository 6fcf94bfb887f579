import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AttendanceReport, parseAttendanceReport } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join("\n"));
const personWith = (report: AttendanceReport, email: string) => report.people.find((p) => p.email === email);

describe("a Webex attendee report", () => {
  const report = parseAttendanceReport(fixture("webex-attendee-report.csv"));

  it("is recognised from its Attendee Email and Attendance Duration columns", () => {
    expect(report.format).toBe("webex");
  });

  it("leaves out the host and cohost flagged in the Role column", () => {
    expect(report.rows).toBe(4);
    expect(report.people.map((p) => p.email ?? p.name)).toEqual([
      "amal.testfixture@example.org",
      "jonas.placeholder@example.net",
      "Caller 4",
    ]);
  });

  it("adds up a rejoin (33 mins + 60 mins) under the lowercased email", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toMatchObject({
      minutes: 93,
      firstJoin: "2024-07-31T15:00:00",
      lastLeave: "2024-07-31T16:35:00",
    });
  });

  it("reads durations written as `1 hr 5 mins`", () => {
    expect(personWith(report, "jonas.placeholder@example.net")?.minutes).toBe(65);
  });

  it("keeps a phone caller without email by name", () => {
    expect(report.people.find((p) => p.name === "Caller 4")).toMatchObject({ minutes: 45 });
  });

  it("reads the `Name`/`Email` variant with minutes as numbers and a Host yes/no column", () => {
    const variant = parseAttendanceReport(
      csv(
        "Name,Email,Join Time,Leave Time,Attendance Duration,Connection Type,Host",
        "Secretariat,host@example.org,2024-07-31 14:45:00,2024-07-31 16:35:00,110,Internet,Yes",
        "Jonas Placeholder,Jonas.Placeholder@example.net,2024-07-31 15:00:00,2024-07-31 16:05:00,65,Internet,No",
      ),
    );

    expect(variant.format).toBe("webex");
    expect(variant.people.map((p) => [p.email, p.minutes, p.firstJoin])).toEqual([
      ["jonas.placeholder@example.net", 65, "2024-07-31T15:00:00"],
    ]);
  });
});
