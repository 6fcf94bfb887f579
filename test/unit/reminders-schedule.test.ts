import { describe, expect, it } from "vitest";
import {
  dueAtOf,
  isReminded,
  type PlannedReminder,
  plannedReminders,
  planScheduleSync,
  type Reminder,
  tickDecision,
} from "../../shared/reminders/reminder.ts";

const now = new Date("2027-03-01T09:00:00.000Z");

const event = (startsAt: Record<string, string>, reminders = ["P7D", "P1D", "PT1H"]) => ({
  id: "webinar",
  reminders,
  sessions: Object.entries(startsAt).map(([id, at]) => ({
    id,
    language: "fr" as const,
    startsAt: at,
    durationMinutes: 90,
    timezone: "Europe/Paris",
    joinUrl: "https://webinar.example.org/j/1",
  })),
});

const stored = (planned: PlannedReminder, status: Reminder["status"], sent = 0): Reminder => ({
  ...planned,
  status,
  sent,
});

describe("due times", () => {
  it("are the session's start minus the offset, in UTC, whatever offset the start was written in", () => {
    expect(dueAtOf("2027-03-04T10:00:00+01:00", "P1D")).toBe("2027-03-03T09:00:00.000Z");
    expect(dueAtOf("2027-03-04T09:00:00Z", "PT1H")).toBe("2027-03-04T08:00:00.000Z");
    expect(dueAtOf("2027-03-04T09:00:00Z", "P1DT12H")).toBe("2027-03-02T21:00:00.000Z");
  });

  it("give one reminder per session and offset", () => {
    const planned = plannedReminders(event({ fr: "2027-03-10T09:00:00Z", en: "2027-03-10T14:00:00Z" }));

    expect(planned.map((reminder) => `${reminder.sessionId} ${reminder.offset} ${reminder.dueAt}`)).toEqual([
      "fr P7D 2027-03-03T09:00:00.000Z",
      "fr P1D 2027-03-09T09:00:00.000Z",
      "fr PT1H 2027-03-10T08:00:00.000Z",
      "en P7D 2027-03-03T14:00:00.000Z",
      "en P1D 2027-03-09T14:00:00.000Z",
      "en PT1H 2027-03-10T13:00:00.000Z",
    ]);
  });
});

describe("syncing the schedule with a saved event", () => {
  it("schedules the reminders of a new event that are ahead and skips those already past", () => {
    const planned = plannedReminders(event({ fr: "2027-03-05T09:00:00Z" }));

    const changes = planScheduleSync(planned, [], now);

    expect(
      changes.map((change) => change.action === "put" && [change.reminder.offset, change.status]),
    ).toEqual([
      ["P7D", "skipped"],
      ["P1D", "scheduled"],
      ["PT1H", "scheduled"],
    ]);
    expect(changes.every((change) => change.action === "put" && change.expected === undefined)).toBe(true);
  });

  it("skips both reminders of a session created 30 minutes before its start", () => {
    const planned = plannedReminders(event({ fr: "2027-03-01T09:30:00Z" }, ["P1D", "PT1H"]));

    const changes = planScheduleSync(planned, [], now);

    expect(changes.map((change) => change.action === "put" && change.status)).toEqual(["skipped", "skipped"]);
  });

  it("moves a pending reminder with its session, on condition it is still as read", () => {
    const [before] = plannedReminders(event({ fr: "2027-03-10T09:00:00Z" }, ["P1D"])) as [PlannedReminder];
    const [after] = plannedReminders(event({ fr: "2027-03-11T09:00:00Z" }, ["P1D"])) as [PlannedReminder];

    const changes = planScheduleSync([after], [stored(before, "scheduled")], now);

    expect(changes).toEqual([
      {
        action: "put",
        reminder: after,
        status: "scheduled",
        expected: { status: "scheduled", dueAt: "2027-03-09T09:00:00.000Z" },
      },
    ]);
  });

  it("skips a pending reminder moved to a time already past rather than send it late", () => {
    const [before] = plannedReminders(event({ fr: "2027-03-10T09:00:00Z" }, ["P7D"])) as [PlannedReminder];
    const [after] = plannedReminders(event({ fr: "2027-03-05T09:00:00Z" }, ["P7D"])) as [PlannedReminder];

    const [change] = planScheduleSync([after], [stored(before, "scheduled")], now);

    expect(change).toMatchObject({
      action: "put",
      status: "skipped",
      reminder: { dueAt: "2027-02-26T09:00:00.000Z" },
    });
  });

  it("keeps a due reminder whose time did not change for the tick, when something else of the event is edited", () => {
    const [due] = plannedReminders(event({ fr: "2027-03-01T09:59:00Z" }, ["PT1H"])) as [PlannedReminder];

    expect(planScheduleSync([due], [stored(due, "scheduled")], now)).toEqual([]);
  });

  it("never touches a reminder that was fired, even if its session moves", () => {
    const [before] = plannedReminders(event({ fr: "2027-03-02T09:00:00Z" }, ["P1D"])) as [PlannedReminder];
    const [after] = plannedReminders(event({ fr: "2027-03-09T09:00:00Z" }, ["P1D"])) as [PlannedReminder];

    expect(planScheduleSync([after], [stored(before, "sent", 120)], now)).toEqual([]);
    expect(planScheduleSync([after], [stored(before, "sending", 3)], now)).toEqual([]);
    expect(planScheduleSync([], [stored(before, "sent", 120)], now)).toEqual([]);
  });

  it("schedules again a skipped reminder whose session moved far enough ahead", () => {
    const [late] = plannedReminders(event({ fr: "2027-03-01T09:30:00Z" }, ["PT1H"])) as [PlannedReminder];
    const [moved] = plannedReminders(event({ fr: "2027-03-02T09:30:00Z" }, ["PT1H"])) as [PlannedReminder];

    const [change] = planScheduleSync([moved], [stored(late, "skipped")], now);

    expect(change).toMatchObject({ action: "put", status: "scheduled", expected: { status: "skipped" } });
  });

  it("deletes the pending reminders of removed sessions and offsets", () => {
    const planned = plannedReminders(
      event({ fr: "2027-03-10T09:00:00Z", en: "2027-03-10T14:00:00Z" }, ["P1D", "PT1H"]),
    );
    const remaining = planned.filter((reminder) => reminder.sessionId === "fr" && reminder.offset === "P1D");

    const changes = planScheduleSync(
      remaining,
      planned.map((reminder) => stored(reminder, "scheduled")),
      now,
    );

    expect(
      changes.map(
        (change) => change.action === "delete" && `${change.reminder.sessionId} ${change.reminder.offset}`,
      ),
    ).toEqual(["fr PT1H", "en P1D", "en PT1H"]);
  });
});

describe("firing and mailing rules", () => {
  const reminder = { offset: "PT1H", dueAt: "2027-03-01T08:00:00.000Z" }; // session starts at 09:00

  it("fires a due reminder until its session starts, and skips it from the start on", () => {
    expect(tickDecision(reminder, new Date("2027-03-01T08:00:30Z"))).toBe("fire");
    expect(tickDecision(reminder, new Date("2027-03-01T08:59:59Z"))).toBe("fire");
    expect(tickDecision(reminder, new Date("2027-03-01T09:00:00Z"))).toBe("skip");
  });

  it("reminds registrants who registered by the due time, not those who registered after it", () => {
    expect(isReminded({ createdAt: "2027-02-20T10:00:00.000Z" }, reminder)).toBe(true);
    expect(isReminded({ createdAt: "2027-03-01T08:00:00.000Z" }, reminder)).toBe(true);
    expect(isReminded({ createdAt: "2027-03-01T08:00:00.001Z" }, reminder)).toBe(false);
  });
});
