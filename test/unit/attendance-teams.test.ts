import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AttendanceReport, parseAttendanceReport } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));
const teamsFile = (...lines: string[]) => Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf16le");
const personWith = (report: AttendanceReport, email: string) => report.people.find((p) => p.email === email);

describe("a Teams attendance report (sample: UTF-16, en-GB dates)", () => {
  const report = parseAttendanceReport(fixture("teams-attendance-report.csv"));

  it("is recognised from its numbered sections", () => {
    expect(report.format).toBe("teams");
  });

  it("reads the in-meeting activities, one row per stay, and leaves the organizer out", () => {
    expect(report.rows).toBe(4);
    expect(report.people.map((p) => p.email)).toEqual([
      "elodie.lefevre@example.fr",
      "karim.demo@example.ma",
      "sofia.benali@example.tn",
    ]);
  });

  it("adds up Élodie's two stays (44m 48s + 36m 15s) and reads `31/07/19, 15:00:12` day first", () => {
    expect(personWith(report, "elodie.lefevre@example.fr")).toEqual({
      email: "elodie.lefevre@example.fr",
      name: "Lefèvre, Élodie",
      minutes: 81.05,
      firstJoin: "2019-07-31T15:00:12",
      lastLeave: "2019-07-31T16:30:00",
      segments: [
        { join: "2019-07-31T15:00:12", leave: "2019-07-31T15:45:00", minutes: 44.8 },
        { join: "2019-07-31T15:53:45", leave: "2019-07-31T16:30:00", minutes: 36.25 },
      ],
    });
  });

  it("keys Sofia by her Email rather than her UPN, and keeps her 30 seconds", () => {
    expect(personWith(report, "sofia.benali@example.tn")).toMatchObject({
      name: "BENALI SOFIA (EXT)",
      minutes: 0.5,
    });
  });
});

describe("a Teams attendance report with US dates and capitalised headers", () => {
  const report = parseAttendanceReport(fixture("teams-attendance-report-us.csv"));

  it("is recognised although every dated row also holds two commas", () => {
    expect(report.format).toBe("teams");
    expect(report.rows).toBe(4);
  });

  it("reads the ambiguous `3/7/24, 3:00:12 PM` month first, because of AM/PM", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toMatchObject({
      firstJoin: "2024-03-07T15:00:12",
      lastLeave: "2024-03-07T16:20:00",
    });
  });

  it("counts the overlap of two devices once (39m 48s + 50m - 10m)", () => {
    expect(personWith(report, "amal.testfixture@example.org")?.minutes).toBe(79.8);
  });

  it("leaves out the organizer and the presenter of a webinar that has attendees", () => {
    const emails = report.people.map((p) => p.email);
    expect(emails).not.toContain("host@example.org");
    expect(emails).not.toContain("speaker@example.org");
  });

  it("keeps an unverified guest without email by name", () => {
    expect(report.people.find((p) => p.name === "Karim Demo (Unverified)")).toMatchObject({ minutes: 40 });
  });
});

describe("other Teams layouts", () => {
  it("takes the participants' total duration when there are no in-meeting activities", () => {
    const report = parseAttendanceReport(
      teamsFile(
        "1. Summary",
        "Meeting title\tWebinaire",
        "",
        "2. Participants",
        "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole",
        "Secrétariat\t31/07/19, 14:45:00\t31/07/19, 16:35:40\t1h 50m 40s\thost@example.org\thost@example.org\tOrganizer",
        "Lefèvre, Élodie\t31/07/19, 15:00:12\t31/07/19, 16:30:00\t1h 21m 3s\tElodie.Lefevre@example.fr\t\tAttendee",
      ),
    );

    expect(report).toEqual({
      format: "teams",
      rows: 1,
      people: [
        {
          email: "elodie.lefevre@example.fr",
          name: "Lefèvre, Élodie",
          minutes: 81.05,
          firstJoin: "2019-07-31T15:00:12",
          lastLeave: "2019-07-31T16:30:00",
          segments: [{ join: "2019-07-31T15:00:12", leave: "2019-07-31T16:30:00", minutes: 81.05 }],
        },
      ],
    });
  });

  it("keeps presenters in a plain meeting where everyone is a presenter, and uses the UPN without Email", () => {
    const report = parseAttendanceReport(
      teamsFile(
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
        "Host\t31/07/19, 14:45:00\t31/07/19, 16:35:40\t1h 50m 40s\thost@example.org\thost@example.org\tOrganizer",
        "Karim Démo\t31/07/19, 15:02:00\t31/07/19, 15:40:30\t38m 30s\t\tkarim.demo@example.ma\tPresenter",
      ),
    );

    expect(report.people.map((p) => [p.email, p.minutes])).toEqual([["karim.demo@example.ma", 38.5]]);
  });

  it("pairs joins and leaves of the older single-table attendance list", () => {
    const report = parseAttendanceReport(
      teamsFile(
        "Full Name\tUser Action\tTimestamp",
        "Amal Testfixture\tJoined before\t7/31/2020, 2:58:00 PM",
        "Karim Démo\tJoined\t7/31/2020, 3:05:00 PM",
        "Amal Testfixture\tLeft\t7/31/2020, 3:30:00 PM",
        "Amal Testfixture\tJoined\t7/31/2020, 3:40:00 PM",
        "Karim Démo\tLeft\t7/31/2020, 3:45:30 PM",
        "Amal Testfixture\tLeft\t7/31/2020, 4:00:00 PM",
      ),
    );

    expect(report.format).toBe("teams");
    expect(report.people.map((p) => [p.name, p.minutes, p.firstJoin])).toEqual([
      ["Amal Testfixture", 52, "2020-07-31T14:58:00"],
      ["Karim Démo", 40.5, "2020-07-31T15:05:00"],
    ]);
  });
});
