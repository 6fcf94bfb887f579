import { Command, Option } from "commander";
import { attendanceCommand } from "./commands/attendance.ts";
import { deadLettersCommand } from "./commands/dead-letters.ts";
import { eventsCommand } from "./commands/events.ts";
import { mailingCommand } from "./commands/mailing.ts";
import { registrationsCommand } from "./commands/registrations.ts";
import { remindersCommand } from "./commands/reminders.ts";
import { statsCommand } from "./commands/stats.ts";
import { CliError } from "./errors.ts";
import { defaultApiUrl, tokenHelp } from "./settings.ts";

/** Each command group is one module; adding one (`registrations`, `mailing`, …) is one line here. */
const commandGroups: Array<() => Command> = [
  eventsCommand,
  registrationsCommand,
  remindersCommand,
  attendanceCommand,
  statsCommand,
  mailingCommand,
  deadLettersCommand,
];

/** The `convene` program: global options, the command groups, and help for programme staff. */
function createProgram(): Command {
  const program = new Command("convene")
    .description("Convene for organisers: manage webinar events from the command line.")
    .addOption(
      new Option("--api <url>", `the Convene API (default: the local runtime, ${defaultApiUrl})`).env(
        "CONVENE_API_URL",
      ),
    )
    .option("--token <token>", "the organiser token (see below)")
    .showHelpAfterError("(add --help to see the commands and examples)")
    .addHelpText(
      "after",
      `
The API is the local runtime of \`npm start\` unless --api or CONVENE_API_URL points elsewhere:
the one on CONVENE_PORT if set, else the one started with the data dir whose token is used.
${tokenHelp}

Examples:
  convene events put mc2cm-webinar-5.json
  convene events get mc2cm-webinar-5
  CONVENE_API_URL=https://api.example.org CONVENE_TOKEN=eyJ… convene events get mc2cm-webinar-5
  convene events put --help`,
    );
  for (const group of commandGroups) program.addCommand(group());
  inheritSettings(program);
  return program;
}

/** Commands built apart and added with `addCommand` do not inherit settings such as help after an error. */
function inheritSettings(parent: Command): void {
  for (const command of parent.commands) {
    command.copyInheritedSettings(parent);
    inheritSettings(command);
  }
}

/** Runs the program; an expected failure prints its message only, an unexpected one its stack too. */
async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    console.error(error instanceof CliError ? error.message : unexpected(error));
    process.exitCode = 1;
  }
}

function unexpected(error: unknown): string {
  const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `convene failed unexpectedly; please report this with the command you ran:\n${details}`;
}

await main(process.argv);
