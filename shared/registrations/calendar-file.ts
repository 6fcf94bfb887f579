import type { Session, WebinarEvent } from "../domain/event.ts";
import { type Language, pickText } from "../domain/languages.ts";
import type { Registration } from "../domain/registration.ts";
import { calendarInvite, inviteSequence } from "../mail/calendar.ts";
import { calendarEntry } from "./calendar-links.ts";

/**
 * The registrant's calendar entry as an iCalendar file to download: the invite of their
 * confirmation again (same UID and SEQUENCE, a REQUEST with the join link when they have a
 * seat), apart from the pages' links so that only its own function bundles the iCalendar writer.
 */
export function calendarFile(
  event: WebinarEvent,
  session: Session,
  registration: Registration,
  language: Language,
  joinLinkLabel: string,
): string {
  const entry = calendarEntry(event, session, registration, language, joinLinkLabel);
  return calendarInvite({
    method: "REQUEST",
    uid: entry.uid,
    sequence: inviteSequence(event, registration, "REQUEST"),
    start: entry.start,
    end: entry.end,
    summary: entry.title,
    description: entry.description,
    ...(entry.joinUrl && { url: entry.joinUrl, location: entry.joinUrl }),
    organiser: {
      name: pickText(event.organiser.name, registration.language),
      email: event.organiser.email,
    },
    attendee: { name: `${registration.firstName} ${registration.lastName}`, email: registration.email },
  });
}
