/**
 * Local stand-in for Amazon SES: the v1 Query API (version 2010-12-01) and the v2 REST API's `SendEmail`
 * and `GetAccount`.
 *
 * It exists so that `npm start` and the integration tests can run the unmodified AWS SDK v3 clients
 * (`SESClient` through `AWS_ENDPOINT_URL_SES`, `SESv2Client` and nodemailer's SES transport through an
 * endpoint) without sending real mail: every accepted message is written as an `.eml` file to an outbox
 * directory, and a small HTML outbox lets a developer read them. It answers as SES answers, in each API's
 * own error shape so the SDK raises the same typed errors: address syntax and 7-bit ASCII rules, at most 50
 * recipients, the message size limit (10 MB on v1, 40 MB on v2, measured on the message), verified
 * identities and the sandbox, configuration sets that exist, the 24-hour quota and the max send rate.
 */
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { access, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { AddressObject, Attachment, ParsedMail } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import * as z from "zod";
import { listen } from "./ports.ts";

/** A message the server accepted and wrote to the outbox. */
export interface SentMessage {
  /** The SES message id returned to the caller. */
  messageId: string;
  /** The envelope sender (`Source`, or the `From` header when a raw message has no `Source`). */
  source?: string;
  /** The envelope recipients the message was "delivered" to. */
  destinations: string[];
  /** The configuration set named in the request (`ConfigurationSetName`), whose events it would publish. */
  configurationSet?: string;
  /** The message tags of the request (`Tags` of v1, `EmailTags` of v2), in its order. */
  tags: { name: string; value: string }[];
  /** When SES accepted it (ISO 8601), as its events say. */
  timestamp: string;
  /** The message exactly as written to the outbox. */
  raw: Buffer;
  /** Absolute path of the `.eml` file. */
  file: string;
}

/** A sent message as its events describe it: all but its bytes. Kept on disk until they are published. */
export type SentRecord = Omit<SentMessage, "raw">;

const sentRecordSchema = z.object({
  messageId: z.string(),
  source: z.string().optional(),
  destinations: z.array(z.string()),
  configurationSet: z.string().optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })),
  timestamp: z.string(),
  file: z.string(),
});

export interface SesServerOptions {
  /** Port to listen on; 0 picks any free port. */
  port: number;
  /** Interface to listen on; defaults to "127.0.0.1" so the stand-in is never exposed to the network. */
  host?: string;
  /** Directory the `.eml` files are written to; created if missing. */
  outboxDir: string;
  /** Maximum send rate in recipients per second, as SES counts it. */
  maxSendRate: number;
  /**
   * The identities (addresses and domains) the account has verified: a sender must be one of them, or be
   * at one of the domains or their subdomains. Omitted: every sender counts as verified.
   */
  verifiedIdentities?: readonly string[];
  /** SES's sandbox: recipients must be verified too (the mailbox simulator excepted), 200 a day by default. */
  sandbox?: boolean;
  /** The configuration sets that exist. Omitted: any name exists. */
  configurationSets?: readonly string[];
  /** Recipients per rolling 24 hours (`Max24HourSend`); default 200 in the sandbox, else max rate × 86,400. */
  max24HourSend?: number;
  /** The region SES names in its messages when a request's signature names none. */
  region?: string;
  /**
   * SES's event publishing (a configuration set's EventBridge destination): called with every
   * message sent with a configuration set, once it is in the outbox and before the send is
   * answered, so that a caller that got SES's answer can count on the event. Durable: the
   * message's record is written (under `<outbox>/.events/`) before the message itself and removed
   * once this resolved; a start publishes what the last run wrote and did not publish (a crash in
   * between), and one that failed (the bus refusing) is retried every few seconds. A failure
   * never fails the send: SES's events travel apart from its answer.
   */
  publishEvents?: (message: SentRecord) => Promise<void>;
  /**
   * How long after answering the send its events are published (kept on disk meanwhile, as
   * above); 0, the default, publishes them before answering. SES publishes its sending events
   * seconds after it took the message, by when the sender has recorded its outcome: a consumer
   * that reads the record first (`record-feedback`) then finds the mail sent and writes nothing,
   * where one published before the answer would nearly always beat the sender's own write.
   */
  publishEventsAfterMs?: number;
  /** Called (and awaited) after a message is written and its events published or kept. Errors are only logged. */
  onSent?: (message: SentMessage) => void | Promise<void>;
}

export interface SesServer {
  /** Base URL to use as the SDK endpoint and to open the outbox in a browser. */
  url: string;
  port: number;
  /** Resolves once the events the last run kept unpublished are published (or failed, to be retried). */
  recovered: Promise<void>;
  /** Resolves once the events of every message sent so far are published (or failed, to be retried). */
  eventsPublished(): Promise<void>;
  close(): Promise<void>;
}

/** The identities the local account verified by default: the configured sender address and its domain. */
export function senderIdentities(senderAddress: string): string[] {
  const domain = senderAddress.slice(senderAddress.lastIndexOf("@") + 1);
  return domain === "" || domain === senderAddress ? [senderAddress] : [senderAddress, domain];
}

/** XML namespace of every SES v1 response; the SDK's parser does not need it but real SES sends it. */
const SES_NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";

/** SES's limit on a message, measured on the message (MIME, attachments base64-encoded), per API. */
const MAX_MESSAGE_BYTES = { v1: 10 * 1024 * 1024, v2: 40 * 1024 * 1024 } as const;

/** Recipients (To, Cc and Bcc together) SES accepts per message. */
const MAX_RECIPIENTS = 50;

/** The request bodies this server reads: room for a 40 MB message base64-encoded in JSON or a form. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** The sandbox's daily quota. */
const SANDBOX_MAX_24_HOUR_SEND = 200;

/** The mailbox simulator's domain, which the sandbox lets anyone send to. */
const SIMULATOR_DOMAIN = "simulator.amazonses.com";

/** Sliding window of the max send rate. */
const RATE_WINDOW_MS = 1_000;

/** Window of `SentLast24Hours`. */
const DAY_MS = 24 * 60 * 60 * 1_000;

/** How many messages the outbox page lists, so a huge outbox still renders quickly. */
const OUTBOX_PAGE_LIMIT = 500;

/** The only file names the outbox pages serve; anything else (including traversal attempts) is a 404. */
const OUTBOX_NAME = /^(\d{8}T\d{9}Z)-(\d{6})-([0-9a-f-]+)\.eml$/;

/** Highest sequence number that fits the six digits of a file name. */
const MAX_SEQUENCE = 999_999;

// ---------------------------------------------------------------------------------------------------------
// Errors, in the v1 Query API's XML and the v2 REST API's JSON
// ---------------------------------------------------------------------------------------------------------

type ErrorCode =
  | "InvalidParameterValue"
  | "ValidationError"
  | "MissingAction"
  | "InvalidAction"
  | "MessageRejected"
  | "ConfigurationSetDoesNotExist"
  | "TemplateDoesNotExist"
  | "Throttling"
  | "InternalFailure";

/** An error the client should see as SES's: its v1 code; {@link v2Errors} gives its v2 name and status. */
class SesError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The v2 API's exception for each refusal, and its HTTP status (the SDK names the error after it). */
const v2Errors: Readonly<Record<ErrorCode, readonly [string, number]>> = {
  InvalidParameterValue: ["BadRequestException", 400],
  ValidationError: ["BadRequestException", 400],
  MissingAction: ["BadRequestException", 400],
  InvalidAction: ["BadRequestException", 400],
  MessageRejected: ["MessageRejected", 400],
  ConfigurationSetDoesNotExist: ["NotFoundException", 404],
  TemplateDoesNotExist: ["NotFoundException", 404],
  Throttling: ["TooManyRequestsException", 429],
  InternalFailure: ["InternalFailure", 500],
};

function invalid(message: string): SesError {
  return new SesError("InvalidParameterValue", message);
}

/** Escapes text for XML element content; error messages can echo client input. */
function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (char) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[char] ?? char,
  );
}

/** Wraps an action's result in the `<ActionResponse><ActionResult>…` envelope the SDK expects. */
function successXml(action: string, resultXml: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${SES_NAMESPACE}">` +
    `<${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>\n`
  );
}

/** Renders an error the way SES v1 does; the SDK reads `Error/Code` to pick the exception name. */
function errorXml(error: SesError, requestId: string): string {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${SES_NAMESPACE}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>\n`
  );
}

/** Any failure as an {@link SesError}; unexpected ones are logged and reported as SES reports them. */
function asSesError(error: unknown): SesError {
  if (error instanceof SesError) return error;
  console.error("[ses-server] request failed:", error);
  return new SesError("InternalFailure", "An internal error occurred.", 500);
}

// ---------------------------------------------------------------------------------------------------------
// Addresses, as SES checks them
// ---------------------------------------------------------------------------------------------------------

/** Characters an unquoted local part or domain may not hold (RFC 5322 specials, the dot aside). */
const SPECIALS = '()<>,;:\\"[]@';

/**
 * SES refuses non-ASCII display names that are not MIME encoded-words. This text is the local stand-in's:
 * SES's own wording for this case is not publicly recorded.
 */
const NON_ASCII_NAME = "Display names with non-ASCII characters must be MIME encoded-words (RFC 2047)";

/** A mailbox written `addr-spec` or `Name <addr-spec>`: the address, or SES's reason to refuse it. */
function parseMailbox(text: string): { address: string } | { problem: string } {
  const trimmed = text.trim();
  const open = indexOutsideQuotes(trimmed, "<");
  if (open === -1) {
    const problem = addressProblem(trimmed);
    return problem ? { problem } : { address: trimmed };
  }
  const close = trimmed.indexOf(">", open);
  if (close === -1) return { problem: "Missing '>'" };
  if (trimmed.slice(close + 1).trim() !== "") return { problem: "Illegal address" };
  const name = trimmed.slice(0, open);
  const nameProblem = displayNameProblem(name);
  if (nameProblem) return { problem: nameProblem };
  const address = trimmed.slice(open + 1, close).trim();
  const problem = addressProblem(address);
  return problem ? { problem } : { address };
}

function displayNameProblem(name: string): string | undefined {
  if ((name.match(/(?<!\\)"/g) ?? []).length % 2 === 1) return "Missing '\"'";
  if (/[^\x20-\x7e\t]/.test(name)) return NON_ASCII_NAME;
  const unquoted = name.replace(/"(?:[^"\\]|\\.)*"/g, "");
  return /[,;:@<>[\]\\]/.test(unquoted) ? "Illegal address" : undefined;
}

function indexOutsideQuotes(text: string, wanted: string, fromEnd = false): number {
  let found = -1;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === "\\" && quoted) index++;
    else if (character === '"') quoted = !quoted;
    else if (character === wanted && !quoted) {
      found = index;
      if (!fromEnd) return found;
    }
  }
  return found;
}

/**
 * What is wrong with an `addr-spec`, in SES's words (those of the JavaMail checks SES answers with:
 * "Missing final '@domain'", "Local address contains control or whitespace", …), or undefined. Local
 * parts must be 7-bit ASCII; a domain with other characters must be written in Punycode.
 */
function addressProblem(address: string): string | undefined {
  if (address === "") return "Empty address";
  const at = indexOutsideQuotes(address, "@", true);
  if (at === -1) return "Missing final '@domain'";
  if (at === 0) return "Missing local name";
  if (at === address.length - 1) return "Missing domain";
  return localPartProblem(address.slice(0, at)) ?? domainProblem(address.slice(at + 1));
}

function localPartProblem(local: string): string | undefined {
  if (local.startsWith('"') && local.endsWith('"') && local.length > 1) {
    return /[^\x20-\x7e]/.test(local.slice(1, -1))
      ? "Local address contains control or whitespace"
      : undefined;
  }
  for (const character of local) {
    const code = character.codePointAt(0) ?? 0;
    if (code <= 0x20 || code >= 0x7f) return "Local address contains control or whitespace";
    if (SPECIALS.includes(character)) return "Local address contains illegal character";
  }
  return dotProblem(local, "Local address");
}

function domainProblem(domain: string): string | undefined {
  if (domain.startsWith("[") && domain.endsWith("]")) return undefined; // a domain literal
  for (const character of domain) {
    const code = character.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f) return "Domain contains control or whitespace";
    if (!/[A-Za-z0-9.-]/.test(character)) return "Domain contains illegal character";
  }
  return dotProblem(domain, "Domain");
}

function dotProblem(part: string, label: string): string | undefined {
  if (part.startsWith(".")) return `${label} starts with dot`;
  if (part.endsWith(".")) return `${label} ends with dot`;
  if (part.includes("..")) return `${label} contains dot-dot`;
  return undefined;
}

/** The address of a mailbox given as a parameter, or SES's refusal. A top-level comma makes it a list. */
function parameterAddress(text: string): string {
  const parsed = indexOutsideQuotes(text, ",") >= 0 ? { problem: "Illegal address" } : parseMailbox(text);
  if ("problem" in parsed) throw invalid(parsed.problem);
  return parsed.address;
}

/** Splits a header's address list at top-level commas (outside quotes and angle brackets), groups unwrapped. */
function splitAddressList(value: string): string[] {
  const items: string[] = [];
  let current = "";
  let quoted = false;
  let angle = 0;
  for (let index = 0; index < value.length; index++) {
    const character = value.charAt(index);
    if (character === "\\" && quoted) {
      current += character + value.charAt(++index);
      continue;
    }
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === "<") angle++;
    else if (!quoted && character === ">") angle = Math.max(0, angle - 1);
    if (!quoted && angle === 0 && (character === "," || character === ";")) {
      items.push(current);
      current = "";
    } else if (!quoted && angle === 0 && character === ":")
      current = ""; // a group's display name
    else current += character;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== "");
}

/** A header's values, unfolded, by case-insensitive name. */
function headerValues(raw: Buffer, name: string): string[] {
  const lines = headerSection(raw).toString("latin1").split(/\r?\n/);
  const values: string[] = [];
  let current: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && current !== undefined) current += line;
    else {
      if (current !== undefined) values.push(current);
      const colon = line.indexOf(":");
      current =
        colon > 0 && line.slice(0, colon).trim().toLowerCase() === name ? line.slice(colon + 1) : undefined;
    }
  }
  if (current !== undefined) values.push(current);
  return values;
}

/** The addresses of a raw message's address header, each checked as SES checks it. */
function headerAddresses(raw: Buffer, name: string): string[] {
  return headerValues(raw, name).flatMap((value) =>
    splitAddressList(value).map((item) => {
      const parsed = parseMailbox(item);
      if ("problem" in parsed) throw invalid(parsed.problem);
      return parsed.address;
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Send-rate and daily-quota ledger
// ---------------------------------------------------------------------------------------------------------

interface LedgerEntry {
  at: number;
  recipients: number;
}

/**
 * Remembers recent sends to enforce the max send rate (a sliding one-second window of recipients, like
 * SES counts it) and the 24-hour quota, and to report `SentLast24Hours`. Uses the monotonic clock so
 * wall-clock jumps cannot open or close the windows.
 */
class SendLedger {
  /** Oldest first: reservations are made in time order, and a release only removes one. */
  private readonly entries: LedgerEntry[] = [];
  /** The recipients of `entries`, kept as they change: a day holds thousands of sends. */
  private dayTotal = 0;

  /**
   * Reserves capacity for a send, or says which limit it would break. A message with more recipients than
   * the rate allows goes out when nothing else was sent within the second: SES lets one such message
   * through instead of refusing it forever.
   */
  reserve(recipients: number, maxPerSecond: number, maxPerDay: number): LedgerEntry | "daily" | "rate" {
    const now = performance.now();
    this.prune(now);
    if (this.dayTotal + recipients > maxPerDay) return "daily";
    const inWindow = this.recipientsSince(now - RATE_WINDOW_MS);
    if (inWindow > 0 && inWindow + recipients > maxPerSecond) return "rate";
    const entry = { at: now, recipients };
    this.entries.push(entry);
    this.dayTotal += recipients;
    return entry;
  }

  /** Gives back a reservation whose message could not be written, so it does not count as sent. */
  release(entry: LedgerEntry): void {
    const index = this.entries.lastIndexOf(entry);
    if (index < 0) return;
    this.entries.splice(index, 1);
    this.dayTotal -= entry.recipients;
  }

  sentLast24Hours(): number {
    this.prune(performance.now());
    return this.dayTotal;
  }

  /** Recipients sent after `since`, counted from the newest back (a second's worth, not a day's). */
  private recipientsSince(since: number): number {
    let total = 0;
    for (let index = this.entries.length - 1; index >= 0; index--) {
      const entry = this.entries[index];
      if (!entry || entry.at <= since) break;
      total += entry.recipients;
    }
    return total;
  }

  /** Drops entries older than a day so memory stays bounded. */
  private prune(now: number): void {
    let old = 0;
    while (old < this.entries.length && (this.entries[old]?.at ?? now) <= now - DAY_MS) {
      this.dayTotal -= this.entries[old]?.recipients ?? 0;
      old++;
    }
    if (old > 0) this.entries.splice(0, old);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Outbox file names
// ---------------------------------------------------------------------------------------------------------

/**
 * Process-wide clock for outbox names: the millisecond plus a sequence within it. It never goes
 * backwards, so names sort in sending order even within one millisecond, across servers sharing a
 * directory in this process, and (once seeded from the directory) across restarts and clock skew.
 */
let outboxClock = { ms: 0, sequence: 0 };

/** Formats a time as `20261127T033800123Z`: sortable, and free of characters awkward in file names. */
function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, "");
}

/** Reverses {@link compactTimestamp}. */
function parseCompactTimestamp(stamp: string): number {
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
  return Date.parse(iso);
}

/** Advances the outbox clock past `candidate` if that is later than anything seen so far. */
function advanceOutboxClock(candidate: { ms: number; sequence: number }): void {
  const { ms, sequence } = outboxClock;
  if (candidate.ms > ms || (candidate.ms === ms && candidate.sequence > sequence)) outboxClock = candidate;
}

/** Makes the next file name; names are unique because they end with the message id. */
function nextOutboxName(messageId: string): string {
  const now = Date.now();
  const { ms, sequence } = outboxClock;
  if (now > ms) outboxClock = { ms: now, sequence: 0 };
  else if (sequence < MAX_SEQUENCE) outboxClock = { ms, sequence: sequence + 1 };
  else outboxClock = { ms: ms + 1, sequence: 0 };
  return `${compactTimestamp(outboxClock.ms)}-${String(outboxClock.sequence).padStart(6, "0")}-${messageId}.eml`;
}

/** Lists the outbox's message files, oldest first. */
async function listOutbox(outboxDir: string): Promise<string[]> {
  const names = await readdir(outboxDir);
  return names.filter((name) => OUTBOX_NAME.test(name)).sort();
}

/** Makes new names sort after the files already in the directory, even if the clock went backwards. */
async function seedOutboxClock(outboxDir: string): Promise<void> {
  const newest = (await listOutbox(outboxDir)).at(-1);
  const match = newest === undefined ? null : OUTBOX_NAME.exec(newest);
  if (!match?.[1] || !match[2]) return;
  advanceOutboxClock({ ms: parseCompactTimestamp(match[1]), sequence: Number(match[2]) });
}

/** Message ids in SES's shape (16 hex digits, a UUID, `-000000`), which are also safe in file names. */
function newMessageId(): string {
  return `${Date.now().toString(16).padStart(16, "0")}-${randomUUID()}-000000`;
}

// ---------------------------------------------------------------------------------------------------------
// Message parsing
// ---------------------------------------------------------------------------------------------------------

/** Decodes base64 strictly, because `Buffer.from` silently drops invalid characters. */
function decodeBase64(value: string, field: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
    throw invalid(`${field} is not valid base64.`);
  }
  return Buffer.from(value, "base64");
}

/** The header section of a message, so listing and recipient lookup need not parse bodies. */
function headerSection(raw: Buffer): Buffer {
  const ends = [raw.indexOf("\r\n\r\n"), raw.indexOf("\n\n")].filter((index) => index >= 0);
  return ends.length === 0 ? raw : raw.subarray(0, Math.min(...ends));
}

/**
 * mailparser, loaded when the outbox's page first lists or shows a message: sending needs none of
 * it, and it is the heaviest part of the stand-in's start.
 */
async function simpleParser(
  source: Buffer,
  options?: import("mailparser").SimpleParserOptions,
): Promise<ParsedMail> {
  return (await import("mailparser")).simpleParser(source, options);
}

/** Parses only the headers of a message. */
function parseHeaders(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(headerSection(raw), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
}

/** Normalises mailparser's "one object or an array" address fields. */
function addressObjects(field: AddressObject | AddressObject[] | undefined): AddressObject[] {
  if (field === undefined) return [];
  return Array.isArray(field) ? field : [field];
}

/** Composes a simple (non-raw) message as SES composes it, with nodemailer's composer. */
function composeSimple(message: {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  text?: string | undefined;
  html?: string | undefined;
  headers?: Record<string, string>;
  messageId: string;
}): Promise<Buffer> {
  const node = new MailComposer({
    from: message.from,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: message.headers,
    messageId: `<${message.messageId}@email.amazonses.com>`,
    date: new Date(),
  }).compile();
  // Bcc is kept in the stored file (as nodemailer's own stream transport does): the outbox is the only
  // record of who got it.
  node.keepBcc = true;
  return node.build();
}

// ---------------------------------------------------------------------------------------------------------
// Sending, as SES accepts or refuses a message
// ---------------------------------------------------------------------------------------------------------

/** What the actions need from the running server. */
interface ServerContext {
  outboxDir: string;
  maxSendRate: number;
  max24HourSend: number;
  verified?: ReadonlySet<string>;
  sandbox: boolean;
  configurationSets?: ReadonlySet<string>;
  defaultRegion: string;
  ledger: SendLedger;
  events?: SesEvents;
  onSent?: (message: SentMessage) => void | Promise<void>;
}

/** A send request of either API, its addresses already checked. */
interface Submission {
  api: keyof typeof MAX_MESSAGE_BYTES;
  /** The region the request was signed for, which SES names in its messages. */
  region: string;
  /** The envelope sender. */
  source?: string;
  /** The addresses whose identity must be verified (the sender, and the From header's). */
  senders: readonly string[];
  destinations: readonly string[];
  configurationSet?: string;
  tags: { name: string; value: string }[];
  /** The message, or a function composing it once the request is known to be acceptable. */
  raw: Buffer | ((messageId: string) => Promise<Buffer>);
}

/** Whether an identity is verified: the address itself, its domain, or a parent of that domain. */
function isVerified(address: string, verified: ReadonlySet<string>): boolean {
  const lower = address.toLowerCase();
  if (verified.has(lower)) return true;
  const labels = lower.slice(lower.lastIndexOf("@") + 1).split(".");
  return labels.some((_, index) => verified.has(labels.slice(index).join(".")));
}

/** Checks a request against SES's rules in SES's order, then stores it and reports it to the hook. */
async function submit(request: Submission, context: ServerContext): Promise<SentMessage> {
  if (Buffer.isBuffer(request.raw) && request.raw.length > MAX_MESSAGE_BYTES[request.api]) {
    throw invalid(
      `Message length is more than ${MAX_MESSAGE_BYTES[request.api]} bytes long: '${request.raw.length}'.`,
    );
  }
  if (request.destinations.length === 0) throw invalid("Missing required header 'To'.");
  if (request.destinations.length > MAX_RECIPIENTS)
    throw invalid(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
  if (
    request.configurationSet !== undefined &&
    context.configurationSets &&
    !context.configurationSets.has(request.configurationSet)
  ) {
    throw new SesError(
      "ConfigurationSetDoesNotExist",
      `Configuration set <${request.configurationSet}> does not exist.`,
    );
  }
  checkIdentities(request, context);
  const reservation = context.ledger.reserve(
    request.destinations.length,
    context.maxSendRate,
    context.max24HourSend,
  );
  if (reservation === "daily") throw new SesError("Throttling", "Daily message quota exceeded.");
  if (reservation === "rate") throw new SesError("Throttling", "Maximum sending rate exceeded.");
  const messageId = newMessageId();
  try {
    const raw = Buffer.isBuffer(request.raw) ? request.raw : await request.raw(messageId);
    const name = nextOutboxName(messageId);
    const record: SentRecord = {
      messageId,
      destinations: [...request.destinations],
      tags: request.tags,
      timestamp: new Date().toISOString(),
      file: join(context.outboxDir, name),
      ...(request.source === undefined ? {} : { source: request.source }),
      ...(request.configurationSet === undefined ? {} : { configurationSet: request.configurationSet }),
    };
    // The record first, then the message, then the events: a crash at any point leaves either
    // nothing sent (a record without its message is dropped on the next start) or a message
    // whose events the next start publishes. Never a message whose event is lost.
    const events = request.configurationSet === undefined ? undefined : context.events;
    await events?.keep(name, record);
    await writeToOutbox(name, raw, context.outboxDir);
    await events?.publishSoon(name, record);
    const sent: SentMessage = { ...record, raw };
    await notify(context.onSent, sent);
    return sent;
  } catch (error) {
    context.ledger.release(reservation);
    throw error;
  }
}

/** Kept records published at once by `publishKept`. */
const keptAtOnce = 16;

/**
 * The events of sent messages, from the outbox to `publishEvents`: one small file per message in
 * `<outbox>/.events/` (named after the message's `.eml`) from before the message is written until
 * its events are published.
 */
class SesEvents {
  private readonly dir: string;
  private retry: NodeJS.Timeout | undefined;
  private made: Promise<unknown> | undefined;
  private readonly publishing = new Set<Promise<void>>();
  /**
   * Messages of this run whose events are kept and not yet published or failed: a retry's
   * `publishKept` leaves them to their own publication (their `.eml` may not be written yet).
   */
  private readonly ownPending = new Set<string>();
  private closed = false;

  /** Cancels the publications still waiting for their time at `close`: their records stay kept. */
  private readonly closing = new AbortController();

  constructor(
    private readonly outboxDir: string,
    private readonly publishEvents: (message: SentRecord) => Promise<void>,
    private readonly afterMs = 0,
  ) {
    this.dir = join(outboxDir, ".events");
    // One listener per publication waiting its time: a mailing has a hundred at once, which is no
    // leak (each goes when its wait ends), though Node warns past ten.
    setMaxListeners(0, this.closing.signal);
  }

  /**
   * Publishes a kept message's events now (`afterMs` 0: before the send is answered), or
   * `afterMs` later without holding the answer; a stop before then leaves the record to the next
   * start.
   */
  async publishSoon(name: string, record: SentRecord): Promise<void> {
    if (this.afterMs <= 0) return this.publish(name, record);
    const later = sleep(this.afterMs, undefined, { signal: this.closing.signal })
      .then(
        () => this.publish(name, record),
        () => undefined,
      )
      .finally(() => this.publishing.delete(later));
    this.publishing.add(later);
  }

  /**
   * Resolves once the events of every message sent so far are published (or failed, to be
   * retried): those under way at the call, not the ones of mail sent meanwhile, which a sender
   * beside the caller may never stop making.
   */
  async published(): Promise<void> {
    await Promise.allSettled([...this.publishing]);
  }

  async keep(name: string, record: SentRecord): Promise<void> {
    this.ownPending.add(name);
    // Made once, not before every mail (a recursive mkdir is a few syscalls); again if removed since.
    this.made ??= mkdir(this.dir, { recursive: true });
    await this.made;
    const write = () => writeFile(join(this.dir, `${name}.json`), JSON.stringify(record));
    await write().catch(async (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.made = mkdir(this.dir, { recursive: true });
      await this.made;
      await write();
    });
  }

  /** Publishes a kept message's events and drops its record; on failure, retried a few seconds later. */
  async publish(name: string, record: SentRecord): Promise<void> {
    try {
      await this.publishEvents(record);
      // unlink, not rm: rm's checks cost a stat per mail.
      await unlink(join(this.dir, `${name}.json`)).catch(() => undefined);
    } catch (error) {
      if (this.closed) return; // kept for the next start
      console.error(`[ses-server] events of ${record.messageId} not published yet (retried):`, error);
      this.retry ??= setTimeout(() => {
        this.retry = undefined;
        const again = this.publishKept().finally(() => this.publishing.delete(again));
        this.publishing.add(again);
      }, 2_000);
    } finally {
      this.ownPending.delete(name);
    }
  }

  /** Publishes what was kept and not published: the last run's (a crash), or a failed attempt's. */
  async publishKept(): Promise<void> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    const names = files
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => file.slice(0, -".json".length))
      .filter((name) => !this.ownPending.has(name));
    const publishOne = async (name: string) => {
      const path = join(this.dir, `${name}.json`);
      const record = sentRecordSchema.safeParse(JSON.parse(await readFile(path, "utf8").catch(() => "null")));
      const sent = await access(join(this.outboxDir, name)).then(
        () => true,
        () => false,
      );
      // A record without its message (or cut short by a crash): the message was never accepted.
      if (!record.success || !sent) await rm(path, { force: true });
      else await this.publish(name, record.data);
    };
    // A few at a time, in the order they were sent: a start after a crash during a large mailing
    // may find hundreds, and the steps resume only once they are recorded.
    for (let start = 0; start < names.length && !this.closed; start += keptAtOnce) {
      await Promise.all(names.slice(start, start + keptAtOnce).map(publishOne));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.closing.abort();
    await this.published();
  }
}

/**
 * SES's identity check: the sender must be verified, and in the sandbox every recipient too (the mailbox
 * simulator's addresses excepted). The message lists every identity that failed, as SES's does.
 */
function checkIdentities(request: Submission, context: ServerContext): void {
  const verified = context.verified;
  const candidates = [
    ...(verified ? request.senders : []),
    ...(context.sandbox
      ? request.destinations.filter((address) => !address.toLowerCase().endsWith(`@${SIMULATOR_DOMAIN}`))
      : []),
  ];
  const failed = [...new Set(candidates.filter((address) => !verified || !isVerified(address, verified)))];
  if (failed.length > 0) {
    throw new SesError(
      "MessageRejected",
      `Email address is not verified. The following identities failed the check in region ${request.region.toUpperCase()}: ${failed.join(", ")}`,
    );
  }
}

/**
 * Writes the `.eml` before answering (so a caller that got a MessageId can read the file), under a name
 * that nobody lists, then renamed: a reader of the outbox (the outbox page, a test polling for its mail)
 * sees the whole message or no file, never one still being written.
 */
async function writeToOutbox(name: string, raw: Buffer, outboxDir: string): Promise<string> {
  const file = join(outboxDir, name);
  const partial = join(outboxDir, `.${name}.partial`);
  try {
    await writeFile(partial, raw, { flag: "wx" });
    await rename(partial, file);
    return file;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Runs the `onSent` hook; its failures are the test harness's problem, not the SES client's. */
async function notify(onSent: ServerContext["onSent"], message: SentMessage): Promise<void> {
  if (!onSent) return;
  try {
    await onSent(message);
  } catch (error) {
    console.error(`[ses-server] onSent failed for ${message.messageId}:`, error);
  }
}

/** The senders and recipients of a raw message's headers, every address checked as SES checks it. */
function rawMessageAddresses(raw: Buffer): { from: string[]; recipients: string[] } {
  for (const name of ["from", "to", "cc", "bcc", "reply-to", "sender"]) {
    if (headerValues(raw, name).some((value) => /[^\t\x20-\x7e]/.test(value))) throw invalid(NON_ASCII_NAME);
  }
  headerAddresses(raw, "reply-to");
  return {
    from: headerAddresses(raw, "from"),
    recipients: ["to", "cc", "bcc"].flatMap((name) => headerAddresses(raw, name)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The v1 Query API
// ---------------------------------------------------------------------------------------------------------

type Action = (params: URLSearchParams, context: ServerContext, region: string) => Promise<string>;

/** Reads a Query API list (`Prefix.member.1`, `Prefix.member.2`, …) in order. */
function memberList(params: URLSearchParams, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; ; index++) {
    const value = params.get(`${prefix}.member.${index}`);
    if (value === null) return values;
    values.push(value);
  }
}

/** Reads a parameter SES requires, failing like SES's request validation does. */
function requiredParam(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null) {
    throw new SesError(
      "ValidationError",
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** SES's rule for message tags: ASCII letters, digits, `_` and `-`, at most 255 characters. */
function checkTags(tags: readonly { name: string; value: string }[]): void {
  for (const { name, value } of tags) {
    for (const [label, text] of [
      ["name", name],
      ["value", value],
    ] as const) {
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(text)) {
        throw invalid(
          `Invalid tag ${label}: '${text}'. It must contain only ASCII letters (a-z, A-Z), numbers (0-9), underscores (_), or dashes (-), and be at most 255 characters long.`,
        );
      }
    }
  }
}

function v1Tags(params: URLSearchParams): { name: string; value: string }[] {
  const tags: { name: string; value: string }[] = [];
  for (let index = 1; params.has(`Tags.member.${index}.Name`); index++) {
    tags.push({
      name: params.get(`Tags.member.${index}.Name`) ?? "",
      value: params.get(`Tags.member.${index}.Value`) ?? "",
    });
  }
  return tags;
}

function optionalParam(params: URLSearchParams, name: string): string | undefined {
  return params.get(name) ?? undefined;
}

/** `SendRawEmail`: stores exactly the bytes the client sent. */
const sendRawEmail: Action = async (params, context, region) => {
  const raw = decodeBase64(requiredParam(params, "RawMessage.Data"), "RawMessage.Data");
  const tags = v1Tags(params);
  checkTags(tags);
  const sourceParam = optionalParam(params, "Source");
  const source = sourceParam === undefined ? undefined : parameterAddress(sourceParam);
  const explicit = memberList(params, "Destinations").map(parameterAddress);
  const headers = rawMessageAddresses(raw);
  const configurationSet = optionalParam(params, "ConfigurationSetName");
  const envelopeSender = source ?? headers.from[0];
  const sent = await submit(
    {
      api: "v1",
      region,
      raw,
      tags,
      senders: [...(source === undefined ? [] : [source]), ...headers.from],
      destinations: explicit.length > 0 ? explicit : headers.recipients,
      ...(envelopeSender === undefined ? {} : { source: envelopeSender }),
      ...(configurationSet === undefined ? {} : { configurationSet }),
    },
    context,
  );
  return `<MessageId>${sent.messageId}</MessageId>`;
};

/** `SendEmail`: composes the MIME with nodemailer like SES composes it. */
const sendEmail: Action = async (params, context, region) => {
  const sourceText = requiredParam(params, "Source");
  const source = parameterAddress(sourceText);
  const to = memberList(params, "Destination.ToAddresses");
  const cc = memberList(params, "Destination.CcAddresses");
  const bcc = memberList(params, "Destination.BccAddresses");
  const replyTo = memberList(params, "ReplyToAddresses");
  const returnPath = optionalParam(params, "ReturnPath");
  if (returnPath !== undefined) parameterAddress(returnPath);
  replyTo.forEach(parameterAddress);
  const tags = v1Tags(params);
  checkTags(tags);
  const subject = requiredParam(params, "Message.Subject.Data");
  const configurationSet = optionalParam(params, "ConfigurationSetName");
  const sent = await submit(
    {
      api: "v1",
      region,
      source,
      tags,
      senders: [source],
      destinations: [...to, ...cc, ...bcc].map(parameterAddress),
      ...(configurationSet === undefined ? {} : { configurationSet }),
      raw: (messageId) =>
        composeSimple({
          from: sourceText,
          to,
          cc,
          bcc,
          replyTo,
          subject,
          text: optionalParam(params, "Message.Body.Text.Data"),
          html: optionalParam(params, "Message.Body.Html.Data"),
          messageId,
        }),
    },
    context,
  );
  return `<MessageId>${sent.messageId}</MessageId>`;
};

/** `GetSendQuota`: the daily quota, the rate, and the recipients of the last 24 hours. */
const getSendQuota: Action = async (_params, context) =>
  `<SentLast24Hours>${context.ledger.sentLast24Hours()}</SentLast24Hours>` +
  `<Max24HourSend>${context.max24HourSend}</Max24HourSend>` +
  `<MaxSendRate>${context.maxSendRate}</MaxSendRate>`;

const ACTIONS: ReadonlyMap<string, Action> = new Map([
  ["SendRawEmail", sendRawEmail],
  ["SendEmail", sendEmail],
  ["GetSendQuota", getSendQuota],
]);

/** Runs one Query API request and answers in SES's XML, whatever goes wrong. */
async function handleQueryApi(
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const params = new URLSearchParams((await readBody(req)).toString("utf8"));
    const actionName = params.get("Action");
    if (actionName === null) throw new SesError("MissingAction", "Missing Action");
    const action = ACTIONS.get(actionName);
    if (!action) {
      throw new SesError("InvalidAction", `Could not find operation ${actionName} for version 2010-12-01`);
    }
    const result = await action(params, context, regionOf(req, context));
    send(res, 200, "text/xml; charset=utf-8", successXml(actionName, result, requestId), requestId);
  } catch (caught) {
    const error = asSesError(caught);
    send(res, error.status, "text/xml; charset=utf-8", errorXml(error, requestId), requestId);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The v2 REST API: SendEmail (raw and simple content) and GetAccount
// ---------------------------------------------------------------------------------------------------------

const content = z.object({ Data: z.string(), Charset: z.string().optional() });
const addressList = z.array(z.string()).optional();

/** SES v2 `SendEmail`'s JSON body, as the SDK (and nodemailer's SES transport) sends it. */
const sendEmailV2Schema = z.object({
  FromEmailAddress: z.string().optional(),
  Destination: z
    .object({ ToAddresses: addressList, CcAddresses: addressList, BccAddresses: addressList })
    .optional(),
  ReplyToAddresses: addressList,
  ConfigurationSetName: z.string().optional(),
  EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
  Content: z.object({
    Raw: z.object({ Data: z.string() }).optional(),
    Simple: z
      .object({
        Subject: content,
        Body: z.object({ Text: content.optional(), Html: content.optional() }),
        Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
      })
      .optional(),
    Template: z.object({ TemplateName: z.string().optional() }).loose().optional(),
  }),
});

type SendEmailV2 = z.infer<typeof sendEmailV2Schema>;

function parseV2Request(body: Buffer): SendEmailV2 {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
  const parsed = sendEmailV2Schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SesError(
      "ValidationError",
      `1 validation error detected: Value at '${issue?.path.join(".") ?? ""}' failed to satisfy constraint: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/** v2 `SendEmail`: a raw message (stored as sent) or simple content (composed as SES composes it). */
async function sendEmailV2(request: SendEmailV2, context: ServerContext, region: string): Promise<object> {
  const { Content: body, Destination: destination = {} } = request;
  const explicit = [
    ...(destination.ToAddresses ?? []),
    ...(destination.CcAddresses ?? []),
    ...(destination.BccAddresses ?? []),
  ].map(parameterAddress);
  (request.ReplyToAddresses ?? []).forEach(parameterAddress);
  const tags = (request.EmailTags ?? []).map(({ Name, Value }) => ({ name: Name, value: Value }));
  checkTags(tags);
  const from =
    request.FromEmailAddress === undefined ? undefined : parameterAddress(request.FromEmailAddress);
  const common = {
    api: "v2" as const,
    region,
    tags,
    ...(request.ConfigurationSetName === undefined ? {} : { configurationSet: request.ConfigurationSetName }),
  };
  if (body.Template) {
    throw new SesError(
      "TemplateDoesNotExist",
      `Template ${body.Template.TemplateName ?? ""} does not exist.`,
    );
  }
  if (body.Raw) {
    const raw = decodeBase64(body.Raw.Data, "Content.Raw.Data");
    const headers = rawMessageAddresses(raw);
    const source = from ?? headers.from[0];
    const sent = await submit(
      {
        ...common,
        raw,
        senders: [...(from === undefined ? [] : [from]), ...headers.from],
        destinations: explicit.length > 0 ? explicit : headers.recipients,
        ...(source === undefined ? {} : { source }),
      },
      context,
    );
    return { MessageId: sent.messageId };
  }
  const simple = body.Simple;
  if (!simple) throw invalid("Content must contain Raw, Simple or Template.");
  if (from === undefined || request.FromEmailAddress === undefined) {
    throw invalid("FromEmailAddress is required for Simple content.");
  }
  const fromText = request.FromEmailAddress;
  const sent = await submit(
    {
      ...common,
      source: from,
      senders: [from],
      destinations: explicit,
      raw: (messageId) =>
        composeSimple({
          from: fromText,
          to: destination.ToAddresses ?? [],
          cc: destination.CcAddresses ?? [],
          bcc: destination.BccAddresses ?? [],
          replyTo: request.ReplyToAddresses ?? [],
          subject: simple.Subject.Data,
          text: simple.Body.Text?.Data,
          html: simple.Body.Html?.Data,
          headers: Object.fromEntries((simple.Headers ?? []).map(({ Name, Value }) => [Name, Value])),
          messageId,
        }),
    },
    context,
  );
  return { MessageId: sent.messageId };
}

/** v2 `GetAccount`: the quota as `GetSendQuota` reports it, and whether the account left the sandbox. */
function getAccountV2(context: ServerContext): object {
  return {
    SendQuota: {
      Max24HourSend: context.max24HourSend,
      MaxSendRate: context.maxSendRate,
      SentLast24Hours: context.ledger.sentLast24Hours(),
    },
    SendingEnabled: true,
    ProductionAccessEnabled: !context.sandbox,
    EnforcementStatus: "HEALTHY",
    DedicatedIpAutoWarmupEnabled: false,
  };
}

/** Runs one v2 request and answers in its JSON, errors named by `x-amzn-ErrorType` as AWS names them. */
async function handleRestApi(
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
  pathname: string,
): Promise<void> {
  const requestId = randomUUID();
  const json = "application/json";
  try {
    let result: object;
    if (req.method === "POST" && pathname === "/v2/email/outbound-emails") {
      result = await sendEmailV2(parseV2Request(await readBody(req)), context, regionOf(req, context));
    } else if (req.method === "GET" && pathname === "/v2/email/account") {
      req.resume();
      result = getAccountV2(context);
    } else {
      req.resume();
      res.writeHead(404, {
        "content-type": json,
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": "UnknownOperationException",
      });
      res.end(JSON.stringify({ message: `No local SES v2 operation for ${req.method} ${pathname}` }));
      return;
    }
    send(res, 200, json, JSON.stringify(result), requestId);
  } catch (caught) {
    const error = asSesError(caught);
    const [name, status] = v2Errors[error.code];
    res.writeHead(status, {
      "content-type": json,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": name,
      ...(status === 413 ? { connection: "close" } : {}),
    });
    res.end(JSON.stringify({ message: error.message }));
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------

/** The region of the request's SigV4 scope (`Credential=…/20261129/eu-west-1/ses/aws4_request`). */
function regionOf(req: IncomingMessage, context: ServerContext): string {
  const scope = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(req.headers.authorization ?? "");
  return scope?.[1] ?? context.defaultRegion;
}

/**
 * Reads the request body, refusing more than it has room for without buffering it all (the message
 * limits themselves are checked on the decoded message, with SES's error). Event listeners rather than
 * `for await`, because leaving that loop early destroys the socket before we can answer.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > MAX_REQUEST_BYTES) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return; // keep draining so the 413 can still be delivered
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) return void chunks.push(chunk);
      refused = true;
      chunks.length = 0;
      reject(tooLarge());
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function tooLarge(): SesError {
  return new SesError(
    "InvalidParameterValue",
    `Request length is more than ${MAX_REQUEST_BYTES} bytes long.`,
    413,
  );
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId: string,
): void {
  res.writeHead(status, {
    "content-type": contentType,
    "x-amzn-requestid": requestId,
    ...(status === 413 ? { connection: "close" } : {}),
  });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------------------
// Outbox pages
// ---------------------------------------------------------------------------------------------------------

/** Escapes text for HTML content and double- or single-quoted attributes (including `srcdoc`). */
function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );
}

/**
 * Message content is hostile input: no scripts, plugins, forms or framing on our origin; the HTML part
 * additionally lives in a sandboxed iframe.
 */
const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  main { max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  th { background: #eaeef2; font-weight: 600; }
  td.time { white-space: nowrap; color: #57606a; font-variant-numeric: tabular-nums; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; background: #fff;
       padding: 1rem; border: 1px solid #d0d7de; margin: 0; }
  dt { font-weight: 600; color: #57606a; }
  dd { margin: 0; overflow-wrap: anywhere; }
  iframe { width: 100%; height: 60vh; border: 1px solid #d0d7de; background: #fff; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; padding: 1rem; border: 1px solid #d0d7de; }
  .muted { color: #57606a; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

/** Shows a sending time from a file name in UTC, unambiguous whichever machine reads it. */
function sendingTime(file: string): { iso: string; label: string } {
  const ms = parseCompactTimestamp(file.slice(0, 19));
  const iso = new Date(ms).toISOString();
  return { iso, label: iso.replace("T", " ").replace("Z", " UTC") };
}

function addressText(field: AddressObject | AddressObject[] | undefined): string {
  return addressObjects(field)
    .map((object) => object.text)
    .join(", ");
}

function messageHref(file: string): string {
  return `/messages/${encodeURIComponent(file)}`;
}

/** One row of the outbox table; only the headers are parsed to keep the page fast. */
async function outboxRow(outboxDir: string, file: string): Promise<string> {
  const headers = await parseHeaders(await readFile(join(outboxDir, file)));
  const time = sendingTime(file);
  const to = addressText(headers.to) || addressText(headers.bcc) || "(no recipients in headers)";
  return (
    `<tr><td class="time"><time datetime="${time.iso}">${escapeHtml(time.label)}</time></td>` +
    `<td>${escapeHtml(to)}</td>` +
    `<td><a href="${escapeHtml(messageHref(file))}">${escapeHtml(headers.subject || "(no subject)")}</a></td></tr>`
  );
}

/** The outbox page: newest message first. */
async function renderOutbox(outboxDir: string): Promise<string> {
  const files = (await listOutbox(outboxDir)).reverse();
  const shown = files.slice(0, OUTBOX_PAGE_LIMIT);
  const rows = await Promise.all(shown.map((file) => outboxRow(outboxDir, file)));
  const summary =
    files.length > shown.length
      ? `Newest ${shown.length} of ${files.length} messages`
      : `${files.length} message${files.length === 1 ? "" : "s"}`;
  const table =
    rows.length === 0
      ? `<p class="muted">No messages yet.</p>`
      : `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return page(
    "Local SES outbox",
    `<h1>Local SES outbox</h1><p class="muted">${escapeHtml(summary)} in <code>${escapeHtml(outboxDir)}</code></p>${table}`,
  );
}

function headerRow(label: string, value: string): string {
  return value ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : "";
}

function attachmentItem(file: string, attachment: Attachment, index: number): string {
  const name = attachment.filename ?? `attachment-${index + 1}`;
  const href = `${messageHref(file)}/attachments/${index}`;
  return `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a> <span class="muted">(${escapeHtml(attachment.contentType)}, ${attachment.size} bytes)</span></li>`;
}

/** The view page of one message; the HTML part is escaped into a sandboxed iframe's `srcdoc`. */
function renderMessage(file: string, mail: ParsedMail): string {
  const headers =
    headerRow("From", addressText(mail.from)) +
    headerRow("To", addressText(mail.to)) +
    headerRow("Cc", addressText(mail.cc)) +
    headerRow("Bcc", addressText(mail.bcc)) +
    headerRow("Reply-To", addressText(mail.replyTo)) +
    headerRow("Subject", mail.subject ?? "") +
    headerRow("Date", mail.date?.toISOString() ?? "") +
    headerRow("Sent", sendingTime(file).label);
  const html = mail.html
    ? `<h2>HTML</h2><iframe sandbox srcdoc="${escapeHtml(mail.html)}" title="HTML part"></iframe>`
    : "";
  const text = mail.text ? `<h2>Text</h2><pre>${escapeHtml(mail.text)}</pre>` : "";
  const attachments =
    mail.attachments.length > 0
      ? `<h2>Attachments</h2><ul>${mail.attachments.map((attachment, index) => attachmentItem(file, attachment, index)).join("")}</ul>`
      : "";
  const raw = `<p><a href="${escapeHtml(`${messageHref(file)}/raw`)}">Download .eml</a></p>`;
  return page(
    mail.subject || file,
    `<p><a href="/">← Outbox</a></p><h1>${escapeHtml(mail.subject || "(no subject)")}</h1><dl>${headers}</dl>${html}${text}${attachments}${raw}`,
  );
}

/** `filename*` (RFC 6266) keeps non-ASCII names; the plain `filename` is a safe ASCII fallback. */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Downloads are never rendered on our origin, whatever type the message claims. */
function sendDownload(res: ServerResponse, contentType: string, filename: string, content: Buffer): void {
  res.writeHead(200, {
    "content-type": contentType,
    "content-disposition": contentDisposition(filename),
    "content-security-policy": "sandbox",
    "x-content-type-options": "nosniff",
  });
  res.end(content);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, PAGE_HEADERS);
  res.end(html);
}

/** Reads an outbox file by a name taken from the URL, or undefined for anything not a plain outbox name. */
async function readOutboxFile(outboxDir: string, name: string): Promise<Buffer | undefined> {
  if (!OUTBOX_NAME.test(name)) return undefined;
  try {
    return await readFile(join(outboxDir, name));
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/** Splits a path into decoded segments; undefined if a segment is not valid percent-encoding. */
function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** Serves `/messages/<file>`, `/messages/<file>/raw` and `/messages/<file>/attachments/<index>`. */
async function handleMessagePage(res: ServerResponse, outboxDir: string, segments: string[]): Promise<void> {
  const [, file = "", sub, index, ...rest] = segments;
  const raw = rest.length === 0 ? await readOutboxFile(outboxDir, file) : undefined;
  if (!raw) return sendText(res, 404, "Not found");
  if (sub === undefined) return sendHtml(res, renderMessage(file, await simpleParser(raw)));
  if (sub === "raw" && index === undefined) return sendDownload(res, "message/rfc822", file, raw);
  const attachment =
    sub === "attachments" && index !== undefined && /^\d+$/.test(index)
      ? (await simpleParser(raw)).attachments[Number(index)]
      : undefined;
  if (!attachment) return sendText(res, 404, "Not found");
  const name = attachment.filename ?? `attachment-${Number(index) + 1}`;
  return sendDownload(res, attachment.contentType, name, attachment.content);
}

/** Routes the browsable outbox. */
async function handlePage(req: IncomingMessage, res: ServerResponse, outboxDir: string): Promise<void> {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  const segments = pathSegments(pathname);
  if (pathname === "/") return sendHtml(res, await renderOutbox(outboxDir));
  if (segments?.[0] === "messages") return handleMessagePage(res, outboxDir, segments);
  return sendText(res, 404, "Not found");
}

/** Dispatches a request; no failure may escape, since a crash would take `npm start` down with it. */
async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): Promise<void> {
  try {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (pathname.startsWith("/v2/")) return await handleRestApi(req, res, context, pathname);
    if (req.method === "POST" && pathname === "/") return await handleQueryApi(req, res, context);
    if (req.method === "GET" || req.method === "HEAD") return await handlePage(req, res, context.outboxDir);
    sendText(res, 405, "Method not allowed");
  } catch (error) {
    console.error("[ses-server] request failed:", error);
    if (!res.headersSent) sendText(res, 500, "Internal error");
    else res.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Server lifecycle
// ---------------------------------------------------------------------------------------------------------

/** Stops accepting requests and drops idle keep-alive sockets (the SDK keeps them open) so close resolves. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

/** Starts the local SES stand-in; resolves once it is listening. */
export async function startSesServer(options: SesServerOptions): Promise<SesServer> {
  const host = options.host ?? "127.0.0.1";
  await mkdir(options.outboxDir, { recursive: true });
  await seedOutboxClock(options.outboxDir);
  const sandbox = options.sandbox ?? false;
  const lowerCased = (names: readonly string[]) => new Set(names.map((name) => name.toLowerCase()));
  const context: ServerContext = {
    outboxDir: options.outboxDir,
    maxSendRate: options.maxSendRate,
    max24HourSend:
      options.max24HourSend ?? (sandbox ? SANDBOX_MAX_24_HOUR_SEND : options.maxSendRate * (DAY_MS / 1_000)),
    sandbox,
    defaultRegion: options.region ?? "us-east-1",
    ledger: new SendLedger(),
    ...(options.verifiedIdentities ? { verified: lowerCased(options.verifiedIdentities) } : {}),
    ...(options.configurationSets ? { configurationSets: new Set(options.configurationSets) } : {}),
    ...(options.onSent ? { onSent: options.onSent } : {}),
    ...(options.publishEvents
      ? { events: new SesEvents(options.outboxDir, options.publishEvents, options.publishEventsAfterMs) }
      : {}),
  };
  const recovered = context.events?.publishKept() ?? Promise.resolve();
  const server = createServer((req, res) => void handleRequest(req, res, context));
  const port = await listen(server, options.port, host, "The local SES");
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    recovered,
    eventsPublished: async () => {
      await context.events?.published();
    },
    close: async () => {
      await closeServer(server);
      await context.events?.close();
    },
  };
}
