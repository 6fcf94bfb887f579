import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { Language } from "../domain/languages.ts";

/** An address as nodemailer takes it: `"Name <a@b.org>"` or its parts, which it quotes and encodes. */
export type MailAddress = string | { name: string; address: string };

export interface ComposeInput {
  /** The language of the texts: it decides their transfer encoding (see `composeMessage`). */
  language?: Language;
  from: MailAddress;
  to: MailAddress;
  replyTo?: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** An iTIP invite (see `calendarInvite`); `method` must be the one inside the content. */
  calendar?: { method: "REQUEST" | "CANCEL"; content: string };
  /** Written exactly as given, e.g. RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  headers?: Record<string, string>;
}

/** RFC 5322 field names: printable ASCII except the colon. */
const fieldName = /^[!-9;-~]+$/;
/** One line of printable ASCII: anything else would need encoding, and a line break would inject a header. */
const verbatimValue = /^[\t\x20-\x7e]*$/;

/**
 * Custom headers are passed as "prepared" so that nodemailer neither folds nor encodes them: mail
 * providers compare `List-Unsubscribe-Post` byte for byte. Hence they must already be valid.
 */
function preparedHeaders(headers: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!fieldName.test(name)) throw new Error(`Invalid mail header name: ${JSON.stringify(name)}`);
      if (!verbatimValue.test(value))
        throw new Error(`Mail header ${name} must be one line of printable ASCII`);
      return [name, { prepared: true, value }];
    }),
  );
}

/**
 * Limits of header texts built from event fields (a title in the subject, the organiser's name in
 * Reply-To). RFC 5322 allows 998 octets per line: nodemailer folds text with spaces and encodes
 * (then folds) anything non-ASCII, but cannot fold one long ASCII word. Capped at these lengths, an
 * unfolded ASCII line stays far below 998 octets, and a shortened text ends with "…" (non-ASCII,
 * so it is encoded and folded too).
 */
const maxSubjectCharacters = 250;
const maxDisplayNameCharacters = 200;

/** One line (control characters and line separators become spaces), at most `max` characters. */
export function headerText(value: string, max: number): string {
  // Only what breaks a line: the narrow no-break spaces of French typography stay as they are.
  const line = value.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();
  const characters = [...line];
  return characters.length <= max
    ? line
    : `${characters
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

const headerAddress = (address: MailAddress): MailAddress =>
  typeof address === "string"
    ? address
    : { name: headerText(address.name, maxDisplayNameCharacters), address: address.address };

/**
 * Builds the raw MIME message that SES `SendRawEmail` takes: raw sending is the only way to carry a
 * calendar invite and unsubscribe headers. The invite goes in as nodemailer's `icalEvent`, i.e. a
 * `text/calendar; method=…` alternative next to the text and HTML (what Gmail and Outlook render
 * as an invitation) plus an `invite.ics` attachment for clients that only offer files.
 * Texts in Latin script go quoted-printable, Arabic base64 (shorter for it): what nodemailer would
 * pick by counting the letters of every part and header with regular expressions, which cost ~0.3
 * ms of CPU a mail, for mailings and reminders that go out by the thousand (left to nodemailer when
 * no language is given).
 */
export function composeMessage(input: ComposeInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: headerAddress(input.from),
    to: headerAddress(input.to),
    ...(input.replyTo === undefined ? {} : { replyTo: headerAddress(input.replyTo) }),
    subject: headerText(input.subject, maxSubjectCharacters),
    text: input.text,
    html: input.html,
    ...(input.calendar === undefined ? {} : { icalEvent: input.calendar }),
    headers: preparedHeaders(input.headers ?? {}),
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(input.language && { textEncoding: input.language === "ar" ? "base64" : "quoted-printable" }),
  });
  return composer.compile().build();
}
