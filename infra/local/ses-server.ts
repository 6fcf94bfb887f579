/**
 * Local stand-in for Amazon SES (v1 Query API, version 2010-12-01).
 *
 * It exists so that `npm start` and the integration tests can run the unmodified AWS SDK v3 `SESClient`
 * (pointed here through `AWS_ENDPOINT_URL_SES`) without sending real mail: every accepted message is
 * written as an `.eml` file to an outbox directory, and a small HTML outbox lets a developer read them.
 * It imitates the parts of SES the application depends on – the response XML, the maximum send rate and
 * its `Throttling` error, the 10 MB message limit – so that code paths that handle them are exercised
 * locally.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  type AddressObject,
  type Attachment,
  type EmailAddress,
  type ParsedMail,
  simpleParser,
} from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";

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
  /** The message exactly as written to the outbox. */
  raw: Buffer;
  /** Absolute path of the `.eml` file. */
  file: string;
}

export interface SesServerOptions {
  /** Port to listen on; 0 picks any free port. */
  port: number;
  /** Interface to listen on; defaults to "127.0.0.1" so the stand-in is never exposed to the network. */
  host?: string;
  /** Directory the `.eml` files are written to; created if missing. */
  outboxDir: string;
  /** Maximum send rate in recipients per second, as SES counts it. */
  maxSendRate: number;
  /** Called (and awaited) after a message is written, e.g. to simulate bounces. Errors are only logged. */
  onSent?: (message: SentMessage) => void | Promise<void>;
}

export interface SesServer {
  /** Base URL to use as the SDK endpoint and to open the outbox in a browser. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** XML namespace of every SES v1 response; the SDK's parser does not need it but real SES sends it. */
const SES_NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";

/** SES refuses raw messages over 10 MB; we apply the same limit to whole requests to bound memory. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

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
// Errors and XML
// ---------------------------------------------------------------------------------------------------------

/** An error the client should see in SES's own `ErrorResponse` shape. */
class SesError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

/** SES's exact throttling error, so the SDK surfaces it with `name === "Throttling"` and retries it. */
function throttlingError(): SesError {
  return new SesError(400, "Throttling", "Maximum sending rate exceeded.");
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

/** Renders an error the way SES does; the SDK reads `Error/Code` to pick the exception name. */
function errorXml(error: SesError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${SES_NAMESPACE}">` +
    `<Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>\n`
  );
}

// ---------------------------------------------------------------------------------------------------------
// Send-rate ledger
// ---------------------------------------------------------------------------------------------------------

interface LedgerEntry {
  at: number;
  recipients: number;
}

/**
 * Remembers recent sends to enforce the max send rate (a sliding one-second window of recipients, like
 * SES counts it) and to report `SentLast24Hours`. Uses the monotonic clock so wall-clock jumps cannot
 * open or close the window.
 */
class SendLedger {
  private readonly entries: LedgerEntry[] = [];

  /** Reserves capacity for a send, or returns undefined when it would exceed the rate. */
  reserve(recipients: number, maxPerSecond: number): LedgerEntry | undefined {
    const now = performance.now();
    this.prune(now);
    if (this.recipientsSince(now - RATE_WINDOW_MS) + recipients > maxPerSecond) return undefined;
    const entry = { at: now, recipients };
    this.entries.push(entry);
    return entry;
  }

  /** Gives back a reservation whose message could not be written, so it does not count as sent. */
  release(entry: LedgerEntry): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }

  sentLast24Hours(): number {
    const now = performance.now();
    this.prune(now);
    return this.recipientsSince(now - DAY_MS);
  }

  private recipientsSince(since: number): number {
    let total = 0;
    for (const entry of this.entries) if (entry.at > since) total += entry.recipients;
    return total;
  }

  /** Drops entries older than a day so memory stays bounded. */
  private prune(now: number): void {
    const firstRecent = this.entries.findIndex((entry) => entry.at > now - DAY_MS);
    this.entries.splice(0, firstRecent === -1 ? this.entries.length : firstRecent);
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
// Query API parameters and message parsing
// ---------------------------------------------------------------------------------------------------------

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
      400,
      "ValidationError",
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** Decodes base64 strictly, because `Buffer.from` silently drops invalid characters. */
function decodeBase64(value: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
    throw new SesError(400, "InvalidParameterValue", "RawMessage.Data is not valid base64.");
  }
  return Buffer.from(value, "base64");
}

/** The header section of a message, so listing and recipient lookup need not parse bodies. */
function headerSection(raw: Buffer): Buffer {
  const ends = [raw.indexOf("\r\n\r\n"), raw.indexOf("\n\n")].filter((index) => index >= 0);
  return ends.length === 0 ? raw : raw.subarray(0, Math.min(...ends));
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

/** Flattens address lists, including RFC 5322 groups, to plain addresses. */
function plainAddresses(addresses: EmailAddress[]): string[] {
  return addresses.flatMap((entry) => [
    ...(entry.address ? [entry.address] : []),
    ...plainAddresses(entry.group ?? []),
  ]);
}

/** SES takes the recipients of a raw message from its To, Cc and Bcc headers when no Destinations are given. */
function headerRecipients(headers: ParsedMail): string[] {
  const fields = [headers.to, headers.cc, headers.bcc].flatMap(addressObjects);
  return plainAddresses(fields.flatMap((field) => field.value));
}

// ---------------------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------------------

/** What the actions need from the running server. */
interface ServerContext {
  outboxDir: string;
  maxSendRate: number;
  ledger: SendLedger;
  onSent?: (message: SentMessage) => void | Promise<void>;
}

type Action = (params: URLSearchParams, context: ServerContext) => Promise<string>;

interface Outgoing {
  messageId: string;
  source?: string;
  destinations: string[];
  configurationSet?: string;
  raw: Buffer;
}

/**
 * Accepts a message the way SES would: checks the send rate, writes the `.eml` before answering (so a
 * test that got a MessageId can read the file), then lets the `onSent` hook react.
 */
async function deliver(message: Outgoing, context: ServerContext): Promise<SentMessage> {
  if (message.destinations.length === 0) {
    throw new SesError(
      400,
      "InvalidParameterValue",
      "No recipients: give Destinations or To, Cc or Bcc addresses.",
    );
  }
  const reservation = context.ledger.reserve(message.destinations.length, context.maxSendRate);
  if (!reservation) throw throttlingError();
  const name = nextOutboxName(message.messageId);
  const file = join(context.outboxDir, name);
  // Written under a name that nobody lists, then renamed: a reader of the outbox (the outbox page, a
  // test polling for its mail) sees the whole message or no file, never one still being written.
  const partial = join(context.outboxDir, `.${name}.partial`);
  try {
    await writeFile(partial, message.raw, { flag: "wx" });
    await rename(partial, file);
  } catch (error) {
    context.ledger.release(reservation);
    await rm(partial, { force: true });
    throw error;
  }
  const sent: SentMessage = { ...message, file };
  await notify(context.onSent, sent);
  return sent;
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

/** `SendRawEmail`: stores exactly the bytes the client sent. */
const sendRawEmail: Action = async (params, context) => {
  const raw = decodeBase64(requiredParam(params, "RawMessage.Data"));
  const headers = await parseHeaders(raw);
  const explicit = memberList(params, "Destinations");
  const source = params.get("Source") ?? plainAddresses(headers.from?.value ?? [])[0];
  const messageId = newMessageId();
  const destinations = explicit.length > 0 ? explicit : headerRecipients(headers);
  const configurationSet = params.get("ConfigurationSetName") ?? undefined;
  await deliver(
    {
      messageId,
      destinations,
      raw,
      ...(source === undefined ? {} : { source }),
      ...(configurationSet === undefined ? {} : { configurationSet }),
    },
    context,
  );
  return `<MessageId>${messageId}</MessageId>`;
};

/**
 * `SendEmail`: composes the MIME with nodemailer like SES composes it. Bcc is kept in the stored file
 * (as nodemailer's own stream transport does) because the outbox is the only record of who got it.
 */
const sendEmail: Action = async (params, context) => {
  const source = requiredParam(params, "Source");
  const to = memberList(params, "Destination.ToAddresses");
  const cc = memberList(params, "Destination.CcAddresses");
  const bcc = memberList(params, "Destination.BccAddresses");
  const messageId = newMessageId();
  const node = new MailComposer({
    from: source,
    to,
    cc,
    bcc,
    replyTo: memberList(params, "ReplyToAddresses"),
    subject: requiredParam(params, "Message.Subject.Data"),
    text: params.get("Message.Body.Text.Data") ?? undefined,
    html: params.get("Message.Body.Html.Data") ?? undefined,
    messageId: `<${messageId}@email.amazonses.com>`,
    date: new Date(),
  }).compile();
  node.keepBcc = true;
  const raw = await node.build();
  await deliver({ messageId, source, destinations: [...to, ...cc, ...bcc], raw }, context);
  return `<MessageId>${messageId}</MessageId>`;
};

/** `GetSendQuota`: there is no daily quota locally beyond what the rate allows. */
const getSendQuota: Action = async (_params, context) =>
  `<SentLast24Hours>${context.ledger.sentLast24Hours()}</SentLast24Hours>` +
  `<Max24HourSend>${context.maxSendRate * (DAY_MS / 1_000)}</Max24HourSend>` +
  `<MaxSendRate>${context.maxSendRate}</MaxSendRate>`;

const ACTIONS: ReadonlyMap<string, Action> = new Map([
  ["SendRawEmail", sendRawEmail],
  ["SendEmail", sendEmail],
  ["GetSendQuota", getSendQuota],
]);

// ---------------------------------------------------------------------------------------------------------
// API over HTTP
// ---------------------------------------------------------------------------------------------------------

/**
 * Reads the request body, refusing more than SES would accept without buffering it all. Event listeners
 * rather than `for await`, because leaving that loop early destroys the socket before we can answer.
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
    413,
    "InvalidParameterValue",
    `Message length is more than ${MAX_REQUEST_BYTES} bytes long.`,
  );
}

/** Runs one Query API request and answers in SES's XML, whatever goes wrong. */
async function handleApi(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void> {
  const requestId = randomUUID();
  try {
    const params = new URLSearchParams((await readBody(req)).toString("utf8"));
    const actionName = params.get("Action");
    if (actionName === null) throw new SesError(400, "MissingAction", "Missing Action");
    const action = ACTIONS.get(actionName);
    if (!action) {
      throw new SesError(
        400,
        "InvalidAction",
        `Could not find operation ${actionName} for version 2010-12-01`,
      );
    }
    sendXml(res, 200, successXml(actionName, await action(params, context), requestId), requestId);
  } catch (error) {
    sendXml(res, ...apiFailure(error, requestId), requestId);
  }
}

/** Maps any failure to a status and SES error body; unexpected ones are logged and reported as SES does. */
function apiFailure(error: unknown, requestId: string): [number, string] {
  if (error instanceof SesError) return [error.status, errorXml(error, requestId)];
  console.error("[ses-server] request failed:", error);
  const internal = new SesError(500, "InternalFailure", "An internal error occurred.", "Receiver");
  return [500, errorXml(internal, requestId)];
}

function sendXml(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    "content-type": "text/xml; charset=utf-8",
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
    const isApi = req.method === "POST" && (req.url === "/" || req.url?.startsWith("/?"));
    if (isApi) return await handleApi(req, res, context);
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

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

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
  const context: ServerContext = {
    outboxDir: options.outboxDir,
    maxSendRate: options.maxSendRate,
    ledger: new SendLedger(),
    ...(options.onSent ? { onSent: options.onSent } : {}),
  };
  const server = createServer((req, res) => void handleRequest(req, res, context));
  const port = await listen(server, options.port, host);
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, port, close: () => closeServer(server) };
}
