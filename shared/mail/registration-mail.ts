import { type AgendaPerson, agendaSchedule } from "../domain/agenda.ts";
import { formatSessionTime, sessionEnd } from "../domain/dates.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import { calendarUid, type Registration } from "../domain/registration.ts";
import { calendarInvite, inviteSequence } from "./calendar.ts";
import { composeMessage, type MailAddress } from "./compose.ts";
import { formatDuration, formatStartsIn } from "./format.ts";
import { mailBrand, privacyLink } from "./frame.ts";
import { plainDescription } from "./plain-description.ts";
import { type MailContent, renderHtml, renderText } from "./render.ts";
import { type MailKind, type MailTexts, mailTexts, type TextValues } from "./texts/index.ts";

export type { MailKind } from "./texts/index.ts";

export interface RegistrationMailInput {
  kind: MailKind;
  event: WebinarEvent;
  session: Session;
  registration: Registration;
  /** Where the registrant views or cancels the registration. */
  manageUrl: string;
  /** Base of the links in mails (`publicUrl`): the event's privacy notice is linked at the foot. */
  publicUrl: string;
  /** The From header: `mailSettings.from` (the sender's display name and address). */
  from: MailAddress;
  /** How long before the session a reminder goes out; required for `reminder`. */
  reminderOffsetMs?: number;
  /** For `session-cancelled`: the organiser's word (in the registrant's language) and where to register for another session. */
  sessionCancellation?: { message?: string; otherSessionsUrl?: string };
  /** For `update` and `waitlist-update`: the start before the change (if it moved), whether the join link changed. */
  change?: { previousStartsAt?: string; joinLinkChanged: boolean };
}

export interface RegistrationMail {
  /** The registrant's address, for SES `Destinations`. */
  to: string;
  subject: string;
  raw: Buffer;
}

type InviteMethod = "REQUEST" | "CANCEL";

/** A waiting-list mail carries no invite: the registrant has no seat to put in a calendar. */
const inviteMethods: Record<MailKind, InviteMethod | undefined> = {
  confirmation: "REQUEST",
  promotion: "REQUEST",
  reminder: "REQUEST",
  cancellation: "CANCEL",
  "session-cancelled": "CANCEL",
  update: "REQUEST",
  waitlist: undefined,
  "waitlist-update": undefined,
  switched: "CANCEL",
};

/**
 * The invite a registrant gets, if any. A CANCEL goes only to whom a REQUEST went: a registrant
 * who was on the waiting list (of a session now cancelled, or when cancelling their own
 * registration) never had the entry, so their mail brings the news without an update that
 * removes nothing, nor a sentence about it. A switch's CANCEL is left as it is: it is sent only
 * for a seat left behind, whatever the registrant now holds in their new session.
 */
function inviteMethodOf(kind: MailKind, registration: Registration): InviteMethod | undefined {
  const heldNoInvite =
    (kind === "session-cancelled" && registration.status === "waitlisted") ||
    (kind === "cancellation" && registration.cancelledFrom === "waitlisted");
  return heldNoInvite ? undefined : inviteMethods[kind];
}

/** Only registrants with a seat get the join link. */
const joinLinkKinds: ReadonlySet<MailKind> = new Set(["confirmation", "promotion", "reminder", "update"]);

/** Subjects are one header line, whatever an organiser typed into a title; no-break spaces stay. */
const oneLine = (text: string) => text.replace(/[\t\n\v\f\r\u2028\u2029]+/g, " ").trim();

const fullName = (registration: Registration) => `${registration.firstName} ${registration.lastName}`;

function textValues(input: RegistrationMailInput, language: Language): TextValues {
  const title = pickText(input.event.title, language);
  const otherSessionsUrl = input.sessionCancellation?.otherSessionsUrl;
  const previousStartsAt = input.change?.previousStartsAt;
  const previous = previousStartsAt
    ? formatSessionTime(previousStartsAt, input.session.timezone, language)
    : undefined;
  if (input.kind !== "reminder")
    return {
      title,
      startsIn: "",
      ...(otherSessionsUrl && { otherSessionsUrl }),
      ...(previous && { previousTime: `${previous.local} – ${previous.utc}` }),
      ...(input.kind === "update" && input.change?.joinLinkChanged && { joinLinkChanged: true }),
    };
  if (input.reminderOffsetMs === undefined) throw new Error("A reminder mail needs reminderOffsetMs");
  return { title, startsIn: formatStartsIn(input.reminderOffsetMs, language) };
}

/** "Moderator: UCLG", "Speakers: A (UNICEF), B", in the mail's language; nothing for nobody. */
function peopleLine(
  label: string,
  list: readonly AgendaPerson[] | undefined,
  colon: string,
  language: Language,
) {
  if (!list?.length) return [];
  const names = list.map((person) => {
    const name = pickText(person.name, language);
    return person.affiliation ? `${name} (${pickText(person.affiliation, language)})` : name;
  });
  return [`${label}${colon}${names.join(", ")}`];
}

/** The session's agenda, for the mails of registrants with a seat; none when the session has no agenda. */
function agendaOf(session: Session, texts: MailTexts, language: Language): MailContent["agenda"] {
  if (!session.agenda) return undefined;
  return {
    title: texts.agenda.title,
    parts: agendaSchedule(session, language).map(({ part, start, end }) => ({
      times: `${start} – ${end}`,
      title: pickText(part.title, language),
      people: [
        ...peopleLine(
          texts.agenda.moderators(part.moderators?.length ?? 0),
          part.moderators,
          texts.colon,
          language,
        ),
        ...peopleLine(
          texts.agenda.speakers(part.speakers?.length ?? 0),
          part.speakers,
          texts.colon,
          language,
        ),
      ],
    })),
  };
}

function mailContent(input: RegistrationMailInput, texts: MailTexts, values: TextValues): MailContent {
  const { kind, event, session, registration } = input;
  const language = registration.language;
  const times = formatSessionTime(session.startsAt, session.timezone, language);
  const method = inviteMethodOf(kind, registration);
  return {
    language,
    subject: oneLine(texts.kinds[kind].subject(values)),
    heading: values.title,
    greeting: texts.greeting(registration.firstName),
    colon: texts.colon,
    paragraphs: [
      ...texts.kinds[kind].paragraphs(values),
      ...(input.sessionCancellation?.message ? [input.sessionCancellation.message] : []),
    ],
    details: [
      { label: texts.labels.localTime, value: times.local },
      { label: texts.labels.utcTime, value: times.utc },
      { label: texts.labels.duration, value: formatDuration(session.durationMinutes, language) },
      { label: texts.labels.organiser, value: pickText(event.organiser.name, language) },
    ],
    ...(joinLinkKinds.has(kind) && {
      agenda: agendaOf(session, texts, language),
      join: {
        link: { label: texts.labels.joinLink, url: session.joinUrl },
        button: texts.joinButton,
        note: texts.joinNote,
      },
    }),
    notes:
      method === undefined ? [] : [method === "CANCEL" ? texts.calendarNote.remove : texts.calendarNote.add],
    manage: {
      label:
        kind === "cancellation" || kind === "session-cancelled"
          ? texts.manage.cancelled
          : texts.manage.active,
      url: input.manageUrl,
    },
    signOff: texts.signOff,
    signature: pickText(event.organiser.name, language),
    footer: texts.footer(values),
    privacy: privacyLink(input.publicUrl, event.id, language),
    brand: mailBrand(event.branding, language),
  };
}

/**
 * The invite describes the session itself; a CANCEL leaves out the join link along with the seat.
 * Never the manage link: a calendar is often shared with colleagues or assistants, and that link can
 * cancel the registration, so it reaches the registrant through the mail only.
 */
function invite(input: RegistrationMailInput, content: MailContent, method: InviteMethod): string {
  const { event, session, registration } = input;
  const description = [
    plainDescription(event, registration.language),
    ...(content.join ? [`${content.join.link.label}${content.colon}${session.joinUrl}`] : []),
  ].join("\n\n");
  return calendarInvite({
    method,
    uid: calendarUid(registration),
    sequence: inviteSequence(event, registration, method),
    start: new Date(session.startsAt),
    end: sessionEnd(session.startsAt, session.durationMinutes),
    summary: content.heading,
    description,
    ...(method === "REQUEST" && { url: session.joinUrl, location: session.joinUrl }),
    organiser: { name: pickText(event.organiser.name, registration.language), email: event.organiser.email },
    attendee: { name: fullName(registration), email: registration.email },
  });
}

/**
 * The mail a registrant gets when a registration is confirmed (or promoted from the waiting list),
 * waitlisted, cancelled, or when a session is near. Steps: pick the registrant's language and its
 * texts; lay out the content once; render it as text and HTML; attach an invite (REQUEST with the
 * join link, or CANCEL) where the registrant holds or loses a seat (`inviteMethodOf`); compose the raw MIME with the
 * organiser as Reply-To, so that answers reach people who can help rather than a no-reply box.
 */
export async function buildRegistrationMail(input: RegistrationMailInput): Promise<RegistrationMail> {
  const language = input.registration.language;
  const texts = mailTexts[language];
  const content = mailContent(input, texts, textValues(input, language));
  const method = inviteMethodOf(input.kind, input.registration);
  const raw = await composeMessage({
    language,
    from: input.from,
    to: { name: fullName(input.registration), address: input.registration.email },
    replyTo: { name: pickText(input.event.organiser.name, language), address: input.event.organiser.email },
    subject: content.subject,
    text: renderText(content),
    html: renderHtml(content),
    ...(method && { calendar: { method, content: invite(input, content, method) } }),
  });
  return { to: input.registration.email, subject: content.subject, raw };
}
