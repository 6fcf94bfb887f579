import { sessionEnd } from "../domain/dates.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import { calendarUid, type Registration } from "../domain/registration.ts";
import { plainDescription } from "../mail/plain-description.ts";

/**
 * A registrant's calendar entry for their session, as the manage and thank-you pages offer it:
 * the same UID as the invite of their confirmation, so a calendar that has both keeps one
 * entry. Its description is the event's, as plain text (calendars show no Markdown) and, with a
 * seat, the join link: never the manage link, which anyone who sees a shared calendar could use
 * to cancel.
 */
export interface CalendarEntry {
  uid: string;
  start: Date;
  end: Date;
  title: string;
  description: string;
  joinUrl?: string;
}

export function calendarEntry(
  event: WebinarEvent,
  session: Session,
  registration: Registration,
  language: Language,
  /** "Join link", in `language`, before the link in the description. */
  joinLinkLabel: string,
): CalendarEntry {
  const seated = registration.status === "confirmed" && !session.cancelledAt;
  return {
    uid: calendarUid(registration),
    start: new Date(session.startsAt),
    end: sessionEnd(session.startsAt, session.durationMinutes),
    title: pickText(event.title, language),
    description: [
      plainDescription(event, language),
      ...(seated ? [`${joinLinkLabel}\n${session.joinUrl}`] : []),
    ].join("\n\n"),
    ...(seated && { joinUrl: session.joinUrl }),
  };
}

/** `20270304T090000Z`: the UTC form both calendar links take. */
const basicUtc = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** Google Calendar's "add event" template link. */
export function googleCalendarUrl(entry: CalendarEntry): string {
  const url = new URL("https://calendar.google.com/calendar/render");
  url.search = new URLSearchParams({
    action: "TEMPLATE",
    text: entry.title,
    dates: `${basicUtc(entry.start)}/${basicUtc(entry.end)}`,
    details: entry.description,
    ...(entry.joinUrl && { location: entry.joinUrl }),
  }).toString();
  return url.toString();
}

/** Outlook.com's compose-an-event link (personal accounts). */
export function outlookCalendarUrl(entry: CalendarEntry): string {
  const url = new URL("https://outlook.live.com/calendar/0/action/compose");
  url.search = new URLSearchParams({
    rru: "addevent",
    subject: entry.title,
    startdt: entry.start.toISOString(),
    enddt: entry.end.toISOString(),
    body: entry.description,
    ...(entry.joinUrl && { location: entry.joinUrl }),
  }).toString();
  return url.toString();
}
