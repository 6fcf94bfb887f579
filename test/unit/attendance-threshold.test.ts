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
    const registrations = report.people.map(
      ({ email }) => ({ registrationId: email, email, status: "confirmed" }) as Registration,
    );
    const { records } = matchAttendance(report, registrations, 5);

    expect(records.map((record) => [record.email, record.attended])).toEqual([
      ["three-minutes-yes@example.org", false],
      ["forty-minutes-no@example.org", true],
      ["no-time-yes@example.org", true],
      ["no-time-no@example.org", false],
    ]);
  });
});
