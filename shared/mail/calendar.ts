import ical, {
  foldLines,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from "ical-generator";

/** A person as a calendar names them: display name and address. */
export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarInviteInput {
  /** REQUEST adds or updates the event in the attendee's calendar; CANCEL removes it. */
  method: "REQUEST" | "CANCEL";
  /** Stable for one registration, so every later invite updates the same calendar entry. */
  uid: string;
  /** Must grow whenever the invite changes: clients ignore an invite older than the one they hold. */
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  /** The join link; left out of a CANCEL, which no one should need to open. */
  url?: string;
  location?: string;
  organiser: CalendarPerson;
  attendee: CalendarPerson;
}

const sequenceEpochMs = Date.UTC(2026, 0, 1);

/**
 * The invite's SEQUENCE, derived rather than stored. Clients ignore an invite whose SEQUENCE is
 * lower than the one they hold, so it must grow whenever the event (time, title, link) or the
 * registration (session, status) changes: it is built from the later of their `updatedAt`, in
 * seconds since 2026 so it fits the 32-bit integer clients keep until about 2060. The seconds are
 * doubled so that a CANCEL (2s + 1) outranks the REQUEST of the same state (2s), and any REQUEST
 * after a later change (at least 2s + 2) outranks that CANCEL, e.g. when someone registers again.
 */
export function inviteSequence(
  event: { updatedAt: string },
  registration: { updatedAt: string },
  method: CalendarInviteInput["method"],
): number {
  const changedMs = Math.max(Date.parse(event.updatedAt), Date.parse(registration.updatedAt));
  const seconds = Math.max(0, Math.floor((changedMs - sequenceEpochMs) / 1000));
  return 2 * seconds + (method === "CANCEL" ? 1 : 0);
}

/**
 * RFC 5545 parameter values are quoted strings that cannot hold a double quote or a line break,
 * and ical-generator escapes them with backslashes that calendar parsers do not undo.
 */
const parameterSafe = (name: string) => name.replace(/"/g, "'").replace(/[\p{Cc}]+/gu, " ");

/**
 * An iTIP (RFC 5546) invite for one registrant: the calendar entry their mail client adds, moves
 * (same UID, higher SEQUENCE) or removes (METHOD:CANCEL). Times are written in UTC, which every
 * client converts to the reader's zone. The attendee is already accepted and no reply is asked
 * for, because registering is the answer; organisers do not want an RSVP mail per registrant.
 */
export function calendarInvite(input: CalendarInviteInput): string {
  const cancel = input.method === "CANCEL";
  const calendar = ical({
    prodId: { company: "Convene", product: "Webinars", language: "EN" },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    start: input.start,
    end: input.end,
    summary: input.summary,
    description: input.description,
    url: null, // written below, as a URI
    location: input.location ?? null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: parameterSafe(input.organiser.name), email: input.organiser.email },
    attendees: [
      {
        name: parameterSafe(input.attendee.name),
        email: input.attendee.email,
        role: ICalAttendeeRole.REQ,
        rsvp: false,
        status: cancel ? null : ICalAttendeeStatus.ACCEPTED,
      },
    ],
  });
  return withUrl(calendar.toString(), input.url);
}

/**
 * RFC 5545 types URL as a URI, written as is; ical-generator escapes it as text, so a join link
 * with `;` or `,` (Teams and Webex links have them) would reach calendars with backslashes in it.
 */
function withUrl(ics: string, url: string | undefined): string {
  if (url === undefined) return ics;
  // A URI holds no line break (the schema takes http(s) URLs only); refuse one rather than inject.
  if (/[\r\n]/.test(url)) throw new Error("a join URL cannot hold a line break");
  return ics.replace("END:VEVENT", `${foldLines(`URL;VALUE=URI:${url}`)}\r\nEND:VEVENT`);
}
