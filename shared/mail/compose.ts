import MailComposer from "nodemailer/lib/mail-composer/index.js";

/** An address as nodemailer takes it: `"Name <a@b.org>"` or its parts, which it quotes and encodes. */
export type MailAddress = string | { name: string; address: string };

export interface ComposeInput {
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
 * Builds the raw MIME message that SES `SendRawEmail` takes: raw sending is the only way to carry a
 * calendar invite and unsubscribe headers. The invite goes in as nodemailer's `icalEvent`, i.e. a
 * `text/calendar; method=…` alternative next to the text and HTML (what Gmail and Outlook render
 * as an invitation) plus an `invite.ics` attachment for clients that only offer files.
 */
export function composeMessage(input: ComposeInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    subject: input.subject,
    text: input.text,
    html: input.html,
    ...(input.calendar === undefined ? {} : { icalEvent: input.calendar }),
    headers: preparedHeaders(input.headers ?? {}),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
