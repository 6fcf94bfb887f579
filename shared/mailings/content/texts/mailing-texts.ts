/**
 * The texts a mailing adds around the organiser's body, in one language. One file per language
 * implements it, so a missing text is a type error rather than a blank in someone's inbox. All
 * plain text: the layout escapes it.
 */
export interface MailingTexts {
  /** Why the recipient gets the mail: mailbox providers and readers both want to see it. */
  reason: (values: { title: string }) => string;
  /** The label of the visible unsubscribe link. */
  unsubscribe: string;
  /** The label of the link to the registration's manage page. */
  manage: string;
  /** Between a label and its URL in the text part: ": " in English, "\u00a0: " in French. */
  colon: string;
}
