import { Command } from "commander";
import type { SessionStats } from "../../shared/attendance/event-stats.ts";
import { connect } from "../api.ts";
import { formatTable } from "../table.ts";

/** `convene stats --event …`: participation per session, for a report. */
export function statsCommand(): Command {
  return new Command("stats")
    .description("show how many registered, waited, cancelled and attended, per session")
    .requiredOption("--event <eventId>", "the event id, as in its registration link")
    .addHelpText(
      "after",
      `
Attended, absent and the attendance rate (attended / confirmed) appear once an attendance report
of the session is imported ("-" before). The breakdowns count registrants who did not cancel.

Example:
  convene stats --event mc2cm-webinar-4`,
    )
    .action(async (options: { event: string }, command: Command) => {
      const { body } = await (await connect(command)).send(
        "GET",
        `/admin/events/${encodeURIComponent(options.event)}/stats`,
        { action: `read the statistics of event "${options.event}"` },
      );
      console.log(formatStats((body as { sessions: SessionStats[] }).sessions));
    });
}

const orDash = (value: number | null) => (value === null ? "-" : String(value));

export function formatStats(sessions: readonly SessionStats[]): string {
  const perSession = formatTable(
    // Registered counts every registration: confirmed, waitlisted, cancelled and erased add up to it.
    ["Session", "Registered", "Confirmed", "Waitlisted", "Cancelled", "Erased", "Attended", "Absent", "Rate"],
    sessions.map((session) => [
      session.sessionId,
      String(session.registered),
      String(session.confirmed),
      String(session.waitlisted),
      String(session.cancelled),
      String(session.erased),
      orDash(session.attended),
      orDash(session.absent),
      session.attendanceRate === null ? "-" : `${(session.attendanceRate * 100).toFixed(1)}%`,
    ]),
  );
  const breakdown = (title: string, field: "byOrganisationType" | "byCountry") => {
    const totals = new Map<string, { registered: number; attended: number }>();
    for (const session of sessions) {
      for (const [key, value] of Object.entries(session[field])) {
        const total = totals.get(key) ?? { registered: 0, attended: 0 };
        totals.set(key, {
          registered: total.registered + value.registered,
          attended: total.attended + value.attended,
        });
      }
    }
    const rows = [...totals]
      .sort((a, b) => b[1].registered - a[1].registered)
      .map(([key, value]) => [key, String(value.registered), String(value.attended)]);
    return rows.length ? `\n\n${formatTable([title, "Not cancelled", "Attended"], rows)}` : "";
  };
  return (
    perSession + breakdown("Organisation type", "byOrganisationType") + breakdown("Country", "byCountry")
  );
}
