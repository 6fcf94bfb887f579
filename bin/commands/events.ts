import { readFile, writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Command } from "commander";
import { slugSchema } from "../../shared/domain/event.ts";
import { type ApiClient, connect } from "../api.ts";
import { ApiError, CliError, describeFsError } from "../errors.ts";
import { readJsonObject } from "../json-file.ts";

/** `convene events …`: an organiser writes an event as a JSON file, puts it, and reads it back. */
export function eventsCommand(): Command {
  return new Command("events")
    .description("create, update and read webinar events")
    .addHelpText(
      "after",
      `
An event lives in a JSON file that organisers keep: put it to create or update the event, get it
to see what the API has.

Examples:
  convene events get mc2cm-webinar-4 > mc2cm-webinar-4.json
  convene events put mc2cm-webinar-4.json
  convene events cancel mc2cm-webinar-4 --session fr --yes`,
    )
    .addCommand(putCommand())
    .addCommand(getCommand())
    .addCommand(cancelCommand());
}

function putCommand(): Command {
  return new Command("put")
    .description("create an event from a JSON file, or replace it with the file's content")
    .argument("<file>", "the event as JSON: title, description, organiser, sessions, reminders")
    .option("--id <eventId>", "the event id (default: the file name without its extension)")
    .option("--force", "replace the event even if it was saved since this file was read from it")
    .addHelpText(
      "after",
      `
The event id is part of the registration link, so it is kept to 2 to 64 lowercase letters,
digits and hyphens. Putting the same id again replaces the whole event with the file's content.
A file saved from \`convene events get\` can be edited and put back as it is; if its "id" differs
from its file name, convene asks for --id rather than guess which event is meant. A file saved
from \`convene events get\` remembers which version of the event it was read from ("updatedAt"):
if the event was saved since (in the console, by a colleague), putting it stops and says so rather
than undo their changes; get the event again and redo your edits in it, or add --force.

Examples:
  convene events put mc2cm-webinar-5.json        creates or updates the event "mc2cm-webinar-5"
  convene events put draft.json --id mc2cm-webinar-5`,
    )
    .action(async (file: string, options: { id?: string; force?: boolean }, command: Command) => {
      const event = await readJsonObject(file, "the event");
      const id = options.id ?? idFromFileName(file, event);
      // A file saved by `events get` holds the version it was read from: the API refuses it (409)
      // when the event was saved since, so that an old copy never silently undoes newer edits.
      // A draft written by hand has none and replaces the event, as the help says; a file of another
      // event put under a new --id is a copy, which has no version of its own to match.
      const sameEvent = event.id === undefined || event.id === id;
      const readVersion =
        options.force || !sameEvent || typeof event.updatedAt !== "string" ? undefined : event.updatedAt;
      const { status, body } = await saveEvent(await connect(command), id, event, {
        idFromFileName: options.id === undefined,
        readVersion,
      });
      console.log(`${status === 201 ? "Created" : "Updated"} event ${id}`);
      // The file is now the event as saved: it takes the new version, so that the organiser can
      // edit it and put it again (their own save is not "someone else's").
      const savedVersion = (body as { updatedAt?: unknown }).updatedAt;
      if (sameEvent && typeof event.updatedAt === "string" && typeof savedVersion === "string") {
        // The event is saved whatever happens to the file: a file that cannot be written is said, not an error.
        await replaceVersion(file, event.updatedAt, savedVersion).catch((error: unknown) =>
          console.error(
            `${file} could not take the new version (${describeFsError(error)}): ` +
              `get the event again (convene events get ${id}) before your next put.`,
          ),
        );
      }
    });
}

/**
 * Writes the saved version into the file's `"updatedAt"` and changes nothing else in it (its
 * layout, its order and the organiser's other edits stay as they are).
 */
async function replaceVersion(file: string, read: string, saved: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const value = text.indexOf(JSON.stringify(read), text.search(/"updatedAt"\s*:/));
  if (value < 0) return;
  const after = value + JSON.stringify(read).length;
  await writeFile(file, `${text.slice(0, value)}${JSON.stringify(saved)}${text.slice(after)}`);
}

/**
 * The id a file's name gives, unless the file says otherwise: a file saved with `events get` keeps
 * its `id`, and putting it under another name would silently create a copy of the event.
 */
function idFromFileName(file: string, event: Record<string, unknown>): string {
  const id = basename(file, extname(file));
  if (typeof event.id === "string" && event.id !== id) {
    // A copy is offered only under a name that can be an event id (`bh2_get` cannot).
    const copy = slugSchema.safeParse(id).success ? `, or --id ${id} to save a copy as "${id}"` : "";
    throw new CliError(
      `${file} is for the event "${event.id}" (its "id"), but its name gives the id "${id}".\n` +
        `Add --id ${event.id} to update that event${copy}.`,
    );
  }
  return id;
}

async function saveEvent(
  api: ApiClient,
  id: string,
  event: object,
  { idFromFileName, readVersion }: { idFromFileName: boolean; readVersion: string | undefined },
) {
  try {
    return await api.send("PUT", eventPath(id), {
      body: event,
      action: `save event "${id}"`,
      headers: readVersion === undefined ? {} : { "if-match": JSON.stringify(readVersion) },
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === "event-changed") {
      throw new ApiError(
        `The event "${id}" was saved by someone else after this file was read from it (at ${readVersion}), ` +
          "so putting it would undo their changes.\n" +
          `Get it again (convene events get ${id} > ${id}.json), make your edits in that copy and put it, ` +
          "or add --force to replace the event with this file.",
        error.status,
        error.code,
      );
    }
    if (
      idFromFileName &&
      error instanceof ApiError &&
      error.issues.some((issue) => issue.path === "eventId")
    ) {
      const advice =
        "The id was taken from the file name: rename the file, or choose the id with --id <eventId>.";
      throw new ApiError(`${error.message}\n${advice}`, error.status, error.code, error.issues);
    }
    throw error;
  }
}

function getCommand(): Command {
  return new Command("get")
    .description("print an event as JSON, join URLs included")
    .argument("<eventId>", "the event id, as in its registration link")
    .addHelpText(
      "after",
      `
Examples:
  convene events get mc2cm-webinar-4
  convene events get mc2cm-webinar-4 > mc2cm-webinar-4.json   to edit it and put it back`,
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      const { body } = await (await connect(command)).send("GET", eventPath(id), {
        action: `get event "${id}"`,
      });
      console.log(JSON.stringify(body, null, 2));
    });
}

/** `--message fr=…`, given once per language, into the route's `{"fr": "…"}`. */
function addMessage(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([a-z]{2})=(.+)$/s.exec(value);
  if (!match)
    throw new CliError(
      `--message takes a language and a text, such as --message "fr=Le webinaire est reporté."`,
    );
  return { ...previous, [match[1] as string]: match[2] as string };
}

function cancelCommand(): Command {
  return new Command("cancel")
    .description("cancel a session (--session) or every session of an event, and tell its registrants")
    .argument("<eventId>", "the event id, as in its registration link")
    .option("--session <sessionId>", "the session to cancel (default: every session of the event)")
    .option(
      "--message <lang=text>",
      "a word to the registrants in one language (repeat per language)",
      addMessage,
    )
    .option("--yes", "confirm: each registrant is mailed a cancellation, which cannot be undone")
    .addHelpText(
      "after",
      `
A cancelled session stays in the event, marked cancelled (export, stats); it takes no more
registrations, its reminders are skipped, and each of its registrants gets one cancellation with
a calendar CANCEL, the message in their language, and the form's link if another session is open.
Running it again mails nobody twice.

Examples:
  convene events cancel mc2cm-webinar-4 --session fr --message "fr=Reportée au 12 mars." --yes
  convene events cancel mc2cm-webinar-4 --yes                 cancels every session`,
    )
    .action(
      async (
        id: string,
        options: { session?: string; message?: Record<string, string>; yes?: boolean },
        command: Command,
      ) => {
        const what = options.session
          ? `session "${options.session}" of event "${id}"`
          : `every session of event "${id}"`;
        if (!options.yes) {
          throw new CliError(
            `This cancels ${what} and mails each of its registrants. Add --yes to go ahead.`,
          );
        }
        const path = options.session
          ? `${eventPath(id)}/sessions/${encodeURIComponent(options.session)}/cancel`
          : `${eventPath(id)}/cancel`;
        await (await connect(command)).send("POST", path, {
          body: options.message ? { message: options.message } : {},
          action: `cancel ${what}`,
        });
        console.log(`Cancelled ${what}; its registrants are being told.`);
      },
    );
}

function eventPath(id: string): string {
  return `/admin/events/${encodeURIComponent(id)}`;
}
