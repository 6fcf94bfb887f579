import { readFile } from "node:fs/promises";
import { Command } from "commander";
import type { ImportSummary } from "../../shared/attendance/attendance-store.ts";
import { connect } from "../api.ts";
import { CliError } from "../errors.ts";

/** `convene attendance …`: after the webinar, who came. */
export function attendanceCommand(): Command {
  return new Command("attendance").description("import the attendance report of a session").addCommand(
    new Command("import")
      .description("upload the report downloaded from Zoom, Teams, Webex, or any CSV with an email column")
      .argument("<file>", "the report, as downloaded (CSV, TSV, UTF-8 or UTF-16)")
      .requiredOption("--event <eventId>", "the event")
      .requiredOption("--session <sessionId>", "the session the report is for")
      .addHelpText(
        "after",
        `
Importing the same file again changes nothing; a corrected file replaces the previous import.

Example:
  convene attendance import zoom-report.csv --event mc2cm-webinar-4 --session en`,
      )
      .action(async (file: string, options: { event: string; session: string }, command: Command) => {
        const bytes = await readFile(file).catch(() => {
          throw new CliError(`Cannot read ${file}: check the path.`);
        });
        const api = await connect(command);
        const path = `/admin/events/${encodeURIComponent(options.event)}/sessions/${encodeURIComponent(options.session)}/attendance`;
        const { body } = await api.send("POST", path, { file: bytes, action: `import ${file}` });
        console.log(describe(body as ImportSummary));
      }),
  );
}

function describe(summary: ImportSummary): string {
  const lines = [
    `Format: ${summary.format} (${summary.rows} rows, ${summary.people} people)`,
    `Registrants in the report: ${summary.matched}, attended: ${summary.attended}, absent: ${summary.absent}`,
  ];
  if (summary.unmatched.length > 0) {
    lines.push(`Present but not registered (${summary.unmatched.length}):`);
    for (const person of summary.unmatched) {
      lines.push(`  ${person.email || "(no email)"}  ${person.name}  ${person.minutes} min`);
    }
  }
  return lines.join("\n");
}
