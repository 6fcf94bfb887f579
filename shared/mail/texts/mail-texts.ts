/**
 * The mails sent about a registration. A promotion is a confirmation after the waiting list; a
 * session cancellation is the organiser's cancelling of the session itself, not the registrant's;
 * `switched` is about the session a registrant left for another one (its invite removes it).
 */
export const mailKinds = [
  "confirmation",
  "promotion",
  "waitlist",
  "cancellation",
  "reminder",
  "session-cancelled",
  "update",
  "waitlist-update",
  "switched",
] as const;
export type MailKind = (typeof mailKinds)[number];

/**
 * What a sentence may mention. All plain text: the renderer escapes it for HTML, so a text never
 * holds markup and a translator cannot open a hole by adding some.
 */
export interface TextValues {
  title: string;
  /** "in 1 hour", "tomorrow", "in 7 days", in the mail's language; empty except in reminders. */
  startsIn: string;
  /** Where to register for another session of the event, in a session cancellation when one is open. */
  otherSessionsUrl?: string;
  /** In an update whose start moved: the former start, in the session's time zone and in UTC. */
  previousTime?: string;
  /** In an update to a confirmed registrant: whether the join link changed. */
  joinLinkChanged?: boolean;
}

export interface KindTexts {
  subject: (values: TextValues) => string;
  /** The paragraphs after the greeting, before the session details. */
  paragraphs: (values: TextValues) => string[];
}

/**
 * Every text of the registration mails in one language. One file per language implements it, so a
 * text missing in any language is a type error rather than a blank in someone's inbox.
 */
export interface MailTexts {
  kinds: Record<MailKind, KindTexts>;
  greeting: (firstName: string) => string;
  /** Between a label and its value: ": " in English, "\u00a0: " in French. */
  colon: string;
  labels: {
    localTime: string;
    utcTime: string;
    duration: string;
    joinLink: string;
    organiser: string;
  };
  joinButton: string;
  /** The session's agenda (confirmations, reminders): its heading, and who moderates or speaks. */
  agenda: { title: string; moderators: (count: number) => string; speakers: (count: number) => string };
  /** Join links only reach registrants (the public event page hides them). */
  joinNote: string;
  /** Points at the attached invite, which some clients show only as a file. */
  calendarNote: { add: string; remove: string };
  /** Labels of the manage link, while registered and once cancelled. */
  manage: { active: string; cancelled: string };
  signOff: string;
  /** Why the reader gets this mail. */
  footer: (values: TextValues) => string;
}
