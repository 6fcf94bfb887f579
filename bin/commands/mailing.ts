import { setTimeout as sleep } from "node:timers/promises";
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { type ApiClient, connect } from "../api.ts";
import { readJsonObject } from "../json-file.ts";

interface MailingStatus {
  name: string;
  status: "draft" | "sending" | "sent" | "cancelled";
  recipients: number;
  sent: number;
  skipped: number;
  failed: number;
}

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
  convene mailing send 5b0f…-…-… --event mc2cm-webinar-4
  convene mailing status 5b0f…-…-… --event mc2cm-webinar-4`,
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

const describe = (mailing: MailingStatus) =>
  `${mailing.name}: ${mailing.status}, ${mailing.sent} sent, ${mailing.skipped} skipped, ${mailing.failed} failed of ${mailing.recipients} recipient(s)`;
