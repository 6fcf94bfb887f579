import { createHash } from "node:crypto";

/**
 * The one DynamoDB table: its definition (used by the CDK stack and by the local runtime to create
 * it) and every key. Nothing else in the code base writes a key string, so the access patterns
 * can be read in one place:
 *
 * | item                 | pk                 | sk                          | gsi1pk / gsi1sk                              |
 * |----------------------|--------------------|-----------------------------|----------------------------------------------|
 * | event                | EVENT#<eventId>    | EVENT                       | EVENTS / <last session end>#<eventId>        |
 * | session counters     | EVENT#<eventId>    | SESSION#<sessionId>         |                                              |
 * | email uniqueness     | EVENT#<eventId>    | EMAIL#<normalized email>    |                                              |
 * | registration         | REG#<id>           | REG                         | EVENT#<e>#SESSION#<s> / STATUS#<st>#<at>#<id> |
 * | erased registration  | REG#<id>           | REG (ids only, `erasedAt`)  |                                              |
 * | delivery (mail sent) | REG#<id>           | MAIL#<kind>#<n>             |                                              |
 * | token signing key    | CONFIG             | TOKEN-KEY                   |                                              |
 * | attendance (500/page)| ATTENDANCE#<e>#<s> | PAGE#<0000>                 |                                              |
 * | attendance import    | ATTENDANCE#<e>#<s> | IMPORT                      |                                              |
 * | attendance announced | ATTENDANCE#<e>#<s> | ANNOUNCED (hash of the last published result) |                    |
 * | erased address       | EVENT#<eventId>    | ERASED#<keyed hash of the address> |                                       |
 * | erasure hash key     | EVENT#<eventId>    | ERASURE-KEY                 |                                              |
 * | mailing              | EVENT#<eventId>    | MAILING#<mailingId>         |                                              |
 * | mailing recipients   | MAILING#<id>       | PAGE#<0000> (250 a page)    |                                              |
 * | mailing delivery     | MAILING#<id>       | SENT#<registrationId>       |                                              |
 * | reminder (schedule)  | EVENT#<eventId>    | REMINDER#<sessionId>#<offset> | DUE / <dueAt>#<e>#<s>#<offset> (while due) |
 * | suppression          | SUPPRESSION#<normalized email> | SUPPRESSION           |                                              |
 * | rate-limit counter   | RATE#<hash of counter>#<window start> | RATE         |                                              |
 * | outbox (to publish)  | OUTBOX#<id>        | OUTBOX                      | LEASES / <relay by>#OUTBOX#<id>#OUTBOX       |
 * | a step's lease       | (the item holding it: mailing, reminder, delivery) | | LEASES / <leaseUntil>#<pk>#<sk> (while held) |
 *
 * Events are listed with one Query on gsi1 under `EVENTS`, latest-ending first (upcoming, then past).
 * Registrations of a session by status, oldest first (waitlist promotion, reminders, exports),
 * are one Query on gsi1 with `begins_with(gsi1sk, "STATUS#<status>#")`. Reminders waiting to fire
 * are in gsi1 under `DUE`, sorted by due time, so the tick finds the due ones with one Query; a
 * fired or skipped reminder drops its gsi1 keys and leaves that (sparse) index.
 *
 * A step of long work (a mailing's dispatch or batch, a reminder being sent, a confirmation being
 * mailed) holds a lease on its own item until a time; while it holds one, the item sits in gsi1
 * under `LEASES`, sorted by that time, with the bus message that resumes the step. The sweeper
 * finds the expired ones with one Query; a finished step drops its gsi1 keys and leaves the index.
 *
 * An item that names a registrant carries `expiresAt`, the event's retention end (its last session
 * end plus `retentionDays`, `shared/privacy/retention.ts`), and DynamoDB's TTL deletes it then. A
 * registration being erased holds a lease (it leaves its session's lists at once); once erased it
 * is a tombstone of ids, so its manage link can say the data was deleted.
 *
 * A suppression (unsubscribed, bounced, complained) is one item per address, across all events, read
 * with GetItem before a send or BatchGetItem for a page of recipients; one partition per address
 * keeps those reads spread.
 */
export const tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  globalSecondaryIndexes: [{ indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" }],
  timeToLiveAttribute: "expiresAt",
  /** The stream the outbox relay reads: new images of written items (`shared/bus/outbox-relay.ts`). */
  streamViewType: "NEW_IMAGE",
} as const;

export type TableKey = { pk: string; sk: string };

/** A key as one string, to find items by key in a Map or Set (a newline is in no key). */
export const keyString = (key: TableKey): string => `${key.pk}\n${key.sk}`;

export const keys = {
  event: (eventId: string): TableKey => ({ pk: `EVENT#${eventId}`, sk: "EVENT" }),
  /** Where an event sits in gsi1: every event under one key, by when its last session ends. */
  eventIndex: (eventId: string, lastSessionEnd: string) => ({
    gsi1pk: "EVENTS",
    gsi1sk: `${lastSessionEnd}#${eventId}`,
  }),
  allEvents: () => ({ gsi1pk: "EVENTS" }),
  /** Everything stored under an event's own partition: the event, counters, locks, reminders, mailings. */
  eventPartition: (eventId: string) => ({ pk: `EVENT#${eventId}` }),
  eventMailings: (eventId: string) => ({ pk: `EVENT#${eventId}`, skPrefix: "MAILING#" }),
  /** The delivery records of a registration's own mails (confirmations, reminders…). */
  registrationDeliveries: (registrationId: string) => ({ pk: `REG#${registrationId}`, skPrefix: "MAIL#" }),
  sessionCounters: (eventId: string, sessionId: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `SESSION#${sessionId}`,
  }),
  /** A session's last announced start, duration and join link, and the number of its last change. */
  sessionChanges: (eventId: string, sessionId: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `CHANGES#${sessionId}`,
  }),
  emailLock: (eventId: string, normalizedEmail: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `EMAIL#${normalizedEmail}`,
  }),
  registration: (registrationId: string): TableKey => ({ pk: `REG#${registrationId}`, sk: "REG" }),
  /** Where a registration sits in gsi1: its session, then its status and age. */
  registrationIndex: (r: {
    eventId: string;
    sessionId: string;
    status: string;
    createdAt: string;
    registrationId: string;
  }) => ({
    gsi1pk: `EVENT#${r.eventId}#SESSION#${r.sessionId}`,
    gsi1sk: `STATUS#${r.status}#${r.createdAt}#${r.registrationId}`,
  }),
  sessionRegistrations: (eventId: string, sessionId: string, status?: string) => ({
    gsi1pk: `EVENT#${eventId}#SESSION#${sessionId}`,
    gsi1skPrefix: status ? `STATUS#${status}#` : "STATUS#",
  }),
  /** Whether a key is a delivery record's (a registration's mail, or a mailing's), and no other item's. */
  isDelivery: (key: TableKey): boolean =>
    (key.pk.startsWith("REG#") && key.sk.startsWith("MAIL#")) ||
    (key.pk.startsWith("MAILING#") && key.sk.startsWith("SENT#")),
  delivery: (registrationId: string, kind: string, sequence: number): TableKey => ({
    pk: `REG#${registrationId}`,
    sk: `MAIL#${kind}#${sequence}`,
  }),
  tokenKey: (): TableKey => ({ pk: "CONFIG", sk: "TOKEN-KEY" }),
  reminder: (eventId: string, sessionId: string, offset: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `REMINDER#${sessionId}#${offset}`,
  }),
  eventReminders: (eventId: string) => ({ pk: `EVENT#${eventId}`, skPrefix: "REMINDER#" }),
  /** gsi1 keys of a reminder that is scheduled and not yet fired. */
  dueReminderIndex: (r: { eventId: string; sessionId: string; offset: string; dueAt: string }) => ({
    gsi1pk: "DUE",
    gsi1sk: `${r.dueAt}#${r.eventId}#${r.sessionId}#${r.offset}`,
  }),
  dueReminders: () => ({ gsi1pk: "DUE" }),
  mailing: (eventId: string, mailingId: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `MAILING#${mailingId}`,
  }),
  /** The recipients a mailing was resolved to when it was sent, in pages; each batch mails one page. */
  mailingRecipients: (mailingId: string, page: number): TableKey => ({
    pk: `MAILING#${mailingId}`,
    sk: `PAGE#${String(page).padStart(4, "0")}`,
  }),
  /** The claim that a mailing was sent to a registrant: at most once each. */
  mailingDelivery: (mailingId: string, registrationId: string): TableKey => ({
    pk: `MAILING#${mailingId}`,
    sk: `SENT#${registrationId}`,
  }),
  /** Who came to a session, in pages of records of the last import; one Query reads them all. */
  attendancePage: (eventId: string, sessionId: string, page: number): TableKey => ({
    pk: `ATTENDANCE#${eventId}#${sessionId}`,
    sk: `PAGE#${String(page).padStart(4, "0")}`,
  }),
  sessionAttendance: (eventId: string, sessionId: string) => ({
    pk: `ATTENDANCE#${eventId}#${sessionId}`,
    skPrefix: "PAGE#",
  }),
  attendanceImport: (eventId: string, sessionId: string): TableKey => ({
    pk: `ATTENDANCE#${eventId}#${sessionId}`,
    sk: "IMPORT",
  }),
  /** Which import result `attendance.imported` last announced: a retried import announces it once. */
  attendanceAnnounced: (eventId: string, sessionId: string): TableKey => ({
    pk: `ATTENDANCE#${eventId}#${sessionId}`,
    sk: "ANNOUNCED",
  }),
  /** That someone erased from an event stays erased from its attendance imports (`shared/privacy/erased-addresses.ts`). */
  erasedAddress: (eventId: string, addressHash: string): TableKey => ({
    pk: `EVENT#${eventId}`,
    sk: `ERASED#${addressHash}`,
  }),
  erasedAddresses: (eventId: string) => ({ pk: `EVENT#${eventId}`, skPrefix: "ERASED#" }),
  /** The event's own random key of the erased addresses' hashes. */
  erasureHashKey: (eventId: string): TableKey => ({ pk: `EVENT#${eventId}`, sk: "ERASURE-KEY" }),
  /** Where an item holding a lease sits in gsi1: under `LEASES`, by when the lease expires. */
  leaseIndex: (key: TableKey, leaseUntil: string) => ({
    gsi1pk: "LEASES",
    gsi1sk: `${leaseUntil}#${key.pk}#${key.sk}`,
  }),
  leases: () => ({ gsi1pk: "LEASES" }),
  /** The SES sending slots of `domain` (an SES endpoint) taken in the pacing window starting at `window`. */
  sendSlots: (domain: string, window: number): TableKey => ({
    pk: `SENDSLOTS#${domain}#${window}`,
    sk: "SENDSLOTS",
  }),
  /** A bus message written in the same transaction as the change it announces, until relayed. */
  outbox: (id: string): TableKey => ({ pk: `OUTBOX#${id}`, sk: "OUTBOX" }),
  /** The email uniqueness items of an event (one per registered address). */
  eventEmailLocks: (eventId: string) => ({ pk: `EVENT#${eventId}`, skPrefix: "EMAIL#" }),
  /** Everything stored under a registration: the registration and its delivery records. */
  registrationPartition: (registrationId: string) => ({ pk: `REG#${registrationId}` }),
  /** Everything stored under a mailing: its recipient pages and delivery records. */
  mailingPartition: (mailingId: string) => ({ pk: `MAILING#${mailingId}` }),
  /** Everything stored under a session's attendance: its record pages and import item. */
  attendancePartition: (eventId: string, sessionId: string) => ({ pk: `ATTENDANCE#${eventId}#${sessionId}` }),
  /**
   * The counter of one rate limit's fixed window (`shared/abuse/`). The window is in the partition
   * key, so each window's hits go to a fresh partition and a busy address never concentrates
   * writes on one key for long. The counter names a client IP or a mailbox, which are personal
   * data: the key holds a hash of it (counting needs only equality), never the address itself.
   */
  rateCounter: (counter: string, windowStart: Date): TableKey => ({
    pk: `RATE#${createHash("sha256").update(counter).digest("base64url")}#${windowStart.toISOString()}`,
    sk: "RATE",
  }),
  /** The suppression of an address (normalized: trimmed, lower case), whatever event it came from. */
  suppression: (normalizedEmail: string): TableKey => ({
    pk: `SUPPRESSION#${normalizedEmail}`,
    sk: "SUPPRESSION",
  }),
};
