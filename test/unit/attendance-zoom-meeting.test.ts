import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AttendanceReport, parseAttendanceReport } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));
const csv = (...lines: string[]) => new TextEncoder().encode(lines.join("\r\n"));
const personWith = (report: AttendanceReport, email: string) => report.people.find((p) => p.email === email);

describe("a Zoom meeting participants export with the old headers and the meeting summary", () => {
  const report = parseAttendanceReport(fixture("zoom-meeting-old-with-summary.csv"));

  it("is recognised from its participant header", () => {
    expect(report.format).toBe("zoom-meeting");
  });

  it("leaves out the host named by the summary's User Email", () => {
    expect(report.rows).toBe(4);
    expect(report.people.map((p) => p.email)).toEqual([
      "amal.testfixture@example.org",
      "jonas.placeholder@example.net",
      "walk.in@example.org",
    ]);
  });

  it("adds up a rejoin (33 + 60) and reads the AM/PM times", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toMatchObject({
      minutes: 93,
      firstJoin: "2019-07-31T10:59:02",
      lastLeave: "2019-07-31T12:35:01",
    });
  });

  it("says nothing of attended, which the export does not say", () => {
    expect(report.people.every((p) => p.attended === undefined)).toBe(true);
  });
});

describe("a Zoom meeting participants export with the new headers and no summary", () => {
  const report = parseAttendanceReport(fixture("zoom-meeting-new-no-summary.csv"));

  it("is recognised and reads every row", () => {
    expect(report.format).toBe("zoom-meeting");
    expect(report.rows).toBe(6);
  });

  it("merges a renamed user's rows written in different letter case, under the original name", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toMatchObject({
      name: "Amal Testfixture",
      minutes: 90,
      firstJoin: "2024-03-07T09:58:10",
      lastLeave: "2024-03-07T11:30:12",
    });
  });

  it("keeps a phone caller without email as one person by name, rejoin included", () => {
    const caller = report.people.find((p) => p.name === "+33 1 23 45 67 89");
    expect(caller).toMatchObject({ minutes: 53 });
    expect(caller).not.toHaveProperty("email");
  });

  it("crosses noon in 12-hour times", () => {
    expect(personWith(report, "jonas.placeholder@example.net")?.lastLeave).toBe("2024-03-07T12:05:00");
  });

  it("keeps the host, whom only the summary could name (the export has no role column)", () => {
    expect(personWith(report, "host@example.org")).toBeDefined();
  });
});

describe("a Zoom meeting export whose new-style summary names the host", () => {
  it("leaves out the participant with the host's name", () => {
    const report = parseAttendanceReport(
      csv(
        "Topic,ID,Host,Duration (minutes),Start time,End time,Participants",
        "Peer exchange,91234567890,MC2CM Secretariat,98,07/31/2024 10:58:04 AM,07/31/2024 12:35:40 PM,2",
        "",
        "Name (original name),Email,Join time,Leave time,Duration (minutes),Guest",
        "MC2CM Secretariat,secretariat@example.org,07/31/2024 10:58:04 AM,07/31/2024 12:35:40 PM,98,No",
        "Walk In,walk.in@example.org,07/31/2024 11:05:00 AM,07/31/2024 11:20:00 AM,15,Yes",
      ),
    );

    expect(report.rows).toBe(1);
    expect(report.people.map((p) => p.email)).toEqual(["walk.in@example.org"]);
  });
});
