import { describe, expect, it } from "vitest";
import { formatReminders } from "../../bin/commands/reminders.ts";

describe("convene reminders list", () => {
  it("prints one aligned row per reminder with its due time in UTC", () => {
    const text = formatReminders("webinar", [
      { sessionId: "fr", offset: "P1D", dueAt: "2027-03-03T09:00:00.000Z", status: "sent", sent: 312 },
      { sessionId: "fr", offset: "PT1H", dueAt: "2027-03-04T08:00:00.000Z", status: "scheduled", sent: 0 },
    ]);

    expect(text.split("\n")).toEqual([
      "Session  Before start  Due                   Status     Sent",
      "fr       P1D           2027-03-03 09:00 UTC  sent       312",
      "fr       PT1H          2027-03-04 08:00 UTC  scheduled  0",
    ]);
    expect(formatReminders("webinar", [])).toBe("Event webinar has no reminders.");
  });
});
