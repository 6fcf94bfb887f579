import { writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { SingleBar } from "cli-progress";
import { Command, Option } from "commander";
import { languages } from "../../shared/domain/languages.ts";
import type { Mailing } from "../../shared/mailings/mailing-store.ts";
import { type ApiClient, connect } from "../api.ts";
import { readJsonObject } from "../json-file.ts";
import { formatTable, utcMinute } from "../table.ts";

/** A mailing as the API shows it (`GET …/mailings/{id}` and the list). */
type MailingStatus = Pick<
  Mailing,
  "mailingId" | "name" | "status" | "recipients" | "sent" | "skipped" | "failed" | "updatedAt"
>;

/** The answer of `GET …/mailings/{id}/preview`. */
interface Preview {
  recipient: string;
  subject: string;
  html: string;
  text: string;
}

const languageOption = () =>
  new Option("--lang <language>", "the language of the copy").choices(languages).default("en");

const mailingPath = (eventId: string, mailingId = "") =>
  `/admin/events/${encodeURIComponent(eventId)}/mailings${mailingId ? `/${encodeURIComponent(mailingId)}` : ""}`;

/** `convene mailing …`: write a mailing as a JSON file, check it, send it, follow it. */
export function mailingCommand(): Command {
  return new Command("mailing")
    .description("mail a segment of registrants: thank-you, sorry-we-missed-you, announcements")
    .addHelpText(
      "after",
      `
Examples:
  convene mailing create thank-you.json --event mc2cm-webinar-4
  convene mailing preview 5b0f…-…-… --event mc2cm-webinar-4 --lang fr
  convene mailing test 5b0f…-…-… --event mc2cm-webinar-4 --to me@example.org
  convene mailing send 5b0f…-…-… --event mc2cm-webinar-4
  convene mailing resume 5b0f…-…-… --event mc2cm-webinar-4
  convene mailing status 5b0f…-…-… --event mc2cm-webinar-4
  convene mailing list --event mc2cm-webinar-4`,
    )
    .addCommand(
      new Command("create")
        .description("create a draft from a JSON file (name, segment, subject, body, links)")
        .argument("<file>", "the mailing as JSON")
        .requiredOption("--event <eventId>", "the event")
        .action(async (file: string, options: { event: string }, command: Command) => {
          const mailing = await readJsonObject(file, "the mailing");
          const api = await connect(command);
          const { body } = await api.send("POST", mailingPath(options.event), {
            body: mailing,
            action: `create ${file}`,
          });
          const { mailingId, recipients } = body as { mailingId: string; recipients: number };
          console.log(`Created draft ${mailingId}: ${recipients} recipient(s) now.`);
          console.log(`Send it with: convene mailing send ${mailingId} --event ${options.event}`);
        }),
    )
    .addCommand(
      new Command("send")
        .description("send a draft and follow it until it is done")
        .argument("<mailingId>", "the mailing")
        .requiredOption("--event <eventId>", "the event")
        .action(async (mailingId: string, options: { event: string }, command: Command) => {
          const api = await connect(command);
          await api.send("POST", `${mailingPath(options.event, mailingId)}/send`, {
            action: `send ${mailingId}`,
          });
          const final = await follow(api, options.event, mailingId);
          console.log(describe(final));
        }),
    )
    .addCommand(
      new Command("resume")
        .description(
          "resume a mailing left sending (after a crash) from where its delivery records say, and follow it",
        )
        .argument("<mailingId>", "the mailing")
        .requiredOption("--event <eventId>", "the event")
        .action(async (mailingId: string, options: { event: string }, command: Command) => {
          const api = await connect(command);
          await api.send("POST", `${mailingPath(options.event, mailingId)}/resume`, {
            action: `resume ${mailingId}`,
          });
          const final = await follow(api, options.event, mailingId);
          console.log(describe(final));
        }),
    )
    .addCommand(
      new Command("list")
        .description("list an event's mailings, newest first, with their status and counts")
        .requiredOption("--event <eventId>", "the event")
        .action(async (options: { event: string }, command: Command) => {
          const api = await connect(command);
          const { body } = await api.send("GET", mailingPath(options.event), {
            action: `list the mailings of "${options.event}"`,
          });
          console.log(formatMailings(options.event, (body as { mailings: MailingStatus[] }).mailings));
        }),
    )
    .addCommand(
      new Command("preview")
        .description("show a mailing as a recipient in one language will get it: subject and text")
        .argument("<mailingId>", "the mailing")
        .requiredOption("--event <eventId>", "the event")
        .addOption(languageOption())
        .option("--html <file>", "also write the HTML part to this file, to open in a browser")
        .action(
          async (
            mailingId: string,
            options: { event: string; lang: string; html?: string },
            command: Command,
          ) => {
            const api = await connect(command);
            const { body } = await api.send(
              "GET",
              `${mailingPath(options.event, mailingId)}/preview?lang=${encodeURIComponent(options.lang)}`,
              { action: `preview ${mailingId}` },
            );
            const preview = body as Preview;
            console.log(`To: ${preview.recipient}\nSubject: ${preview.subject}\n\n${preview.text}`);
            if (options.html) {
              await writeFile(options.html, preview.html);
              console.error(`Wrote the HTML part to ${options.html}`);
            }
          },
        ),
    )
    .addCommand(
      new Command("test")
        .description("send one test copy of a mailing, written for a sample registrant")
        .argument("<mailingId>", "the mailing")
        .requiredOption("--event <eventId>", "the event")
        .requiredOption("--to <email>", "where the test copy goes (your own address)")
        .addOption(languageOption())
        .action(
          async (
            mailingId: string,
            options: { event: string; to: string; lang: string },
            command: Command,
          ) => {
            const api = await connect(command);
            await api.send("POST", `${mailingPath(options.event, mailingId)}/test`, {
              body: { email: options.to, language: options.lang },
              action: `send a test copy of ${mailingId}`,
            });
            console.log(`Sent a test copy (${options.lang}) to ${options.to}.`);
          },
        ),
    )
    .addCommand(
      new Command("status")
        .description("show a mailing's status and counts")
        .argument("<mailingId>", "the mailing")
        .requiredOption("--event <eventId>", "the event")
        .action(async (mailingId: string, options: { event: string }, command: Command) => {
          const api = await connect(command);
          console.log(describe(await status(api, options.event, mailingId)));
        }),
    );
}

async function status(api: ApiClient, eventId: string, mailingId: string): Promise<MailingStatus> {
  return (await api.send("GET", mailingPath(eventId, mailingId), { action: `read ${mailingId}` }))
    .body as MailingStatus;
}

/** Polls the mailing with a progress bar (on a terminal) until it is sent or cancelled. */
async function follow(api: ApiClient, eventId: string, mailingId: string): Promise<MailingStatus> {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: "Sending [{bar}] {value}/{total} ({skipped} skipped, {failed} failed)",
        hideCursor: true,
      })
    : undefined;
  let current = await status(api, eventId, mailingId);
  bar?.start(current.recipients, 0, { skipped: 0, failed: 0 });
  while (current.status === "sending") {
    await sleep(1000);
    current = await status(api, eventId, mailingId);
    bar?.setTotal(current.recipients);
    bar?.update(current.sent + current.skipped + current.failed, {
      skipped: current.skipped,
      failed: current.failed,
    });
  }
  bar?.stop();
  return current;
}

function formatMailings(eventId: string, mailings: readonly MailingStatus[]): string {
  if (mailings.length === 0) return `Event ${eventId} has no mailings.`;
  return formatTable(
    ["Mailing", "Name", "Status", "Recipients", "Sent", "Skipped", "Failed", "Last change"],
    mailings.map((mailing) => [
      mailing.mailingId,
      mailing.name,
      mailing.status,
      String(mailing.recipients),
      String(mailing.sent),
      String(mailing.skipped),
      String(mailing.failed),
      utcMinute(mailing.updatedAt),
    ]),
  );
}

const describe = (mailing: MailingStatus) =>
  `${mailing.name}: ${mailing.status}, ${mailing.sent} sent, ${mailing.skipped} skipped, ${mailing.failed} failed of ${mailing.recipients} recipient(s)`;
