import { describe, expect, it } from "vitest";
import { matchAttendance } from "../../shared/attendance/match-attendance.ts";
import type { AttendancePerson } from "../../shared/attendance/parse/types.ts";
import type { Registration } from "../../shared/domain/registration.ts";

const person = (email: string, minutes: number, attended?: boolean): AttendancePerson => ({
  email,
  name: email,
  minutes,
  ...(attended !== undefined && { attended }),
  segments: minutes > 0 ? [{ minutes }] : [],
});

const registered = (email: string, status: Registration["status"] = "confirmed") =>
  ({ registrationId: `r-${email}`, email, status }) as Registration;

describe("the attendance threshold", () => {
  it("decides from the minutes whenever the report gives them, whatever its own yes/no says", () => {
    const report = {
      format: "zoom-webinar" as const,
      rows: 4,
      people: [
        person("three-minutes-yes@example.org", 3, true),
        person("forty-minutes-no@example.org", 40, false),
        person("no-time-yes@example.org", 0, true),
        person("no-time-no@example.org", 0, false),
      ],
    };

    // All registered: someone unregistered whom the report says never came gets no record at all.
    const registrations = report.people.map(({ email }) => registered(email ?? ""));
    const { records } = matchAttendance(report, registrations, 5);

    expect(records.map((record) => [record.email, record.attended])).toEqual([
      ["three-minutes-yes@example.org", false],
      ["forty-minutes-no@example.org", true],
      ["no-time-yes@example.org", true],
      ["no-time-no@example.org", false],
    ]);
  });
});

describe("the people present but not registered", () => {
  it("leaves out those the report says never joined, and keeps a registrant who did not come as absent", () => {
    const report = {
      format: "zoom-webinar" as const,
      rows: 5,
      people: [
        person("walk-in@example.org", 15, true),
        person("short-visit@example.org", 2, true),
        person("said-no@example.org", 0, false),
        { ...person("zero-minutes@example.org", 0), segments: [{ minutes: 0 }] },
        person("registered-no-show@example.org", 0, false),
      ],
    };

    const { records, summary } = matchAttendance(report, [registered("registered-no-show@example.org")], 5);

    expect(summary.unmatched.map((entry) => entry.email)).toEqual([
      "walk-in@example.org",
      "short-visit@example.org",
    ]);
    expect(summary).toMatchObject({ people: 5, matched: 1, attended: 0, absent: 1 });
    expect(records.map((record) => record.email)).toEqual([
      "walk-in@example.org",
      "short-visit@example.org",
      "registered-no-show@example.org",
    ]);
  });

  it("keeps everyone of a bare list of emails, which gives neither times nor yes/no", () => {
    const report = { format: "generic" as const, rows: 1, people: [person("listed@example.org", 0)] };

    expect(matchAttendance(report, [], 5).summary.unmatched).toEqual([
      { email: "listed@example.org", name: "listed@example.org", minutes: 0 },
    ]);
  });

  it("leaves out, of the lists and the counts, people erased from the event unless they registered again", () => {
    const report = {
      format: "zoom-webinar" as const,
      rows: 4,
      people: [
        person("erased@example.org", 40),
        person("being-erased@example.org", 40),
        person("registered-again@example.org", 40),
        person("walk-in@example.org", 15),
      ],
    };
    const erased = new Set([
      "erased@example.org",
      "being-erased@example.org",
      "registered-again@example.org",
    ]);
    // An erasure in progress has cancelled its registration; its last step drops it from the lists.
    const registrations = [
      registered("being-erased@example.org", "cancelled"),
      registered("registered-again@example.org"),
    ];

    const { records, summary } = matchAttendance(report, registrations, 5, erased);

    expect(records.map((record) => record.email)).toEqual([
      "registered-again@example.org",
      "walk-in@example.org",
    ]);
    expect(summary).toMatchObject({ people: 2, matched: 1, attended: 1, absent: 0 });
    expect(summary.unmatched.map((entry) => entry.email)).toEqual(["walk-in@example.org"]);
  });
});
