import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { connect } from "../api.ts";

/** `convene registrations …`: who registered, for reports and spreadsheets. */
export function registrationsCommand(): Command {
  return new Command("registrations").description("read the registrations of an event").addCommand(
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
