import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type ParsedMail, simpleParser } from "mailparser";
import { pollPauses } from "./poll.ts";

export interface OutboxMail {
  file: string;
  raw: string;
  parsed: ParsedMail;
  to: string[];
  /** The text/calendar part, if the mail carries an invite. */
  calendar?: string;
}

const parsedFiles = new Map<string, OutboxMail>();

async function readMail(dir: string, file: string): Promise<OutboxMail> {
  const known = parsedFiles.get(file);
  if (known) return known;
  const raw = await readFile(join(dir, file), "utf8");
  const parsed = await simpleParser(raw);
  const to = [parsed.to ?? []]
    .flat()
    .flatMap((address) => address.value.map((value) => value.address?.toLowerCase() ?? ""));
  const calendarPart = parsed.attachments.find((attachment) =>
    attachment.contentType.startsWith("text/calendar"),
  );
  const mail = { file, raw, parsed, to, calendar: calendarPart?.content.toString("utf8") };
  parsedFiles.set(file, mail);
  return mail;
}

/** Every mail in the local SES outbox sent to `address`, oldest first. */
export async function mailsTo(dir: string, address: string): Promise<OutboxMail[]> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((file) => file.endsWith(".eml"))
    .sort();
  const mails = await Promise.all(files.map((file) => readMail(dir, file)));
  return mails.filter((mail) => mail.to.includes(address.toLowerCase()));
}

/** Waits until `address` has received `count` mails (mail goes out asynchronously, through the bus). */
export async function waitForMails(
  dir: string,
  address: string,
  count = 1,
  timeoutMs = 15_000,
): Promise<OutboxMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (const pause of pollPauses()) {
    const mails = await mailsTo(dir, address);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline)
      throw new Error(`${address} received ${mails.length} mail(s), expected ${count}`);
    await sleep(pause);
  }
  throw new Error("unreachable: pollPauses never ends");
}

/** The manage link in a confirmation mail's text. */
export const manageLinkIn = (mail: OutboxMail) =>
  /https?:\/\/\S+\/registrations\/[\w-]+\?token=[\w-]+/.exec(mail.parsed.text ?? "")?.[0];
