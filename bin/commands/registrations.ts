import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { connect } from "../api.ts";
import { CliError } from "../errors.ts";

/** `convene registrations …`: who registered, for reports and spreadsheets. */
export function registrationsCommand(): Command {
  return new Command("registrations")
    .description("read the registrations of an event, erase a registrant's data")
    .addCommand(deleteCommand())
    .addCommand(
      new Command("export")
        .description("export every registration of an event, as JSON or CSV")
        .requiredOption("--event <eventId>", "the event")
        .option("--csv", "CSV (UTF-8 with a byte-order mark, so spreadsheet programs show accents)")
        .option("--output <file>", "write to this file instead of the screen")
        .addHelpText(
          "after",
          `
Examples:
  convene registrations export --event mc2cm-webinar-4 --csv --output registrations.csv
  convene registrations export --event mc2cm-webinar-4 > registrations.json`,
        )
        .action(async (options: { event: string; csv?: boolean; output?: string }, command: Command) => {
          const api = await connect(command);
          const path = `/admin/events/${encodeURIComponent(options.event)}/registrations`;
          const action = `export the registrations of "${options.event}"`;
          let content: string;
          if (options.csv) {
            const csv = String((await api.send("GET", `${path}?format=csv`, { action })).body);
            // fetch's text() drops the byte-order mark the API sends; spreadsheet programs need it.
            content = `\uFEFF${csv.replace(/^\uFEFF/, "")}`;
          } else {
            const registrations: unknown[] = [];
            let cursor: string | undefined;
            do {
              const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
              const page = (await api.send("GET", `${path}${query}`, { action })).body as {
                registrations: unknown[];
                nextCursor?: string;
              };
              registrations.push(...page.registrations);
              cursor = page.nextCursor;
            } while (cursor);
            content = `${JSON.stringify({ registrations }, null, 2)}\n`;
          }
          if (!options.output) return void process.stdout.write(content);
          await writeFile(options.output, content);
          console.error(`Wrote ${options.output}`);
        }),
    );
}

/**
 * `convene registrations delete`: an organiser erases one registrant's data, as the registrant's
 * own "delete my data" would. Asks for `--yes`, since it cannot be undone; deleting again is no error.
 */
function deleteCommand(): Command {
  return new Command("delete")
    .description(
      "erase everything stored about one registrant (registration, mails sent, attendance); frees their seat",
    )
    .requiredOption("--event <eventId>", "the event")
    .option("--yes", "confirm: the data is deleted for good")
    .argument("<registrationId>", "the registration (its id is in the export and the console)")
    .addHelpText(
      "after",
      `
Example:
  convene registrations delete --event mc2cm-webinar-4 0b6f7c3e-1d2a-4c1b-9f5e-2a7d3c4b5e6f --yes`,
    )
    .action(async (registrationId: string, options: { event: string; yes?: boolean }, command: Command) => {
      if (!options.yes) {
        throw new CliError(
          `This deletes the data of registration ${registrationId} for good. Run it again with --yes to confirm.`,
        );
      }
      const api = await connect(command);
      const path = `/admin/events/${encodeURIComponent(options.event)}/registrations/${encodeURIComponent(registrationId)}`;
      await api.send("DELETE", path, {
        action: `delete the data of registration "${registrationId}" in "${options.event}"`,
      });
      console.log(`Deleted the data of registration ${registrationId}; its seat is free.`);
    });
}
