import { Command } from "commander";
import { connect } from "../api.ts";
import { CliError } from "../errors.ts";
import { formatTable, utcMinute } from "../table.ts";

/** One reminder as `GET /admin/events/{eventId}/reminders` describes it. */
interface ReminderRow {
  sessionId: string;
  offset: string;
  dueAt: string;
  status: string;
  sent: number;
}

/** `convene reminders …`: what the automatic schedule has sent and will send for an event. */
export function remindersCommand(): Command {
  return new Command("reminders")
    .description("see the reminders of an event: when each goes out, and to how many")
    .addHelpText(
      "after",
      `
Reminders are set in the event's "reminders" (default 7 days, 1 day and 1 hour before each
session) and go out by themselves to every confirmed registrant. Moving a session moves its
pending reminders; those whose time has already passed are skipped rather than sent late.

Examples:
  convene reminders list --event mc2cm-webinar-4`,
    )
    .addCommand(listCommand());
}

function listCommand(): Command {
  return new Command("list")
    .description("list an event's reminders in the order they go out")
    .requiredOption("--event <eventId>", "the event id, as in its registration link")
    .addHelpText(
      "after",
      `
Status: scheduled (waiting for its time), sending, sent, or skipped (its time had passed when the
session was created or moved, or the session had started). "Sent" counts the registrants mailed.

Examples:
  convene reminders list --event mc2cm-webinar-4`,
    )
    .action(async (options: { event: string }, command: Command) => {
      const { body } = await (await connect(command)).send(
        "GET",
        `/admin/events/${encodeURIComponent(options.event)}/reminders`,
        { action: `list the reminders of event "${options.event}"` },
      );
      console.log(formatReminders(options.event, remindersOf(body)));
    });
}

function remindersOf(body: unknown): ReminderRow[] {
  const reminders = (body as { reminders?: unknown } | null)?.reminders;
  if (!Array.isArray(reminders)) throw new CliError("The API answered without a list of reminders.");
  return reminders as ReminderRow[];
}

/** A plain-text table, times in UTC written the way people read them ("2027-03-04 08:00 UTC"). */
export function formatReminders(eventId: string, reminders: readonly ReminderRow[]): string {
  if (reminders.length === 0) return `Event ${eventId} has no reminders.`;
  return formatTable(
    ["Session", "Before start", "Due", "Status", "Sent"],
    reminders.map((reminder) => [
      reminder.sessionId,
      reminder.offset,
      utcMinute(reminder.dueAt),
      reminder.status,
      String(reminder.sent),
    ]),
  );
}
