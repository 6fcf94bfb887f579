import { keyString, keys } from "../aws/table.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { reminderDue } from "../bus/events/reminder-due.ts";
import { publishEvents } from "../bus/publish.ts";
import { stillSending } from "../deliveries/delivery-store.ts";
import { handOnLease, leaseFor, sendEventGraceMs } from "../deliveries/lease.ts";
import { sendPages } from "../deliveries/send-pages.ts";
import { findEvent } from "../events/event-store.ts";
import { mailSettings } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "../registrations/links.ts";
import { listSessionRegistrations } from "../registrations/registration-store.ts";
import { isReminded, offsetMs, type Reminder, reminderDeliveryKind } from "./reminder.ts";
import { addSent, findReminder, finishReminder, renewReminderLease } from "./reminder-store.ts";

export type ReminderDue = DetailOf<typeof reminderDue>;
type HeldElsewhere = NonNullable<ReminderDue["heldElsewhere"]>[number];

export interface StepOptions {
  /** The time left to this invocation: the Lambda context's `getRemainingTimeInMillis`. */
  timeLeftMs: () => number;
  /**
   * Below this much time left, the step starts no new send and hands the rest on. It covers the
   * sends in flight, counting them and publishing the next step (20 s by default).
   */
  handOverMarginMs?: number;
  /**
   * Registrants read per Query page (250 by default). SES idles between pages, while the page's
   * count and lease are written and the next page and its suppressions are read: a few round
   * trips, which pages of 250 (2.5 s of sending at 100/s) make a small share.
   */
  pageSize?: number;
  /** Sends in flight at once (by default `sendConcurrency()`); the mailer's pacer holds them to the SES max send rate. */
  concurrency?: number;
  now?: () => Date;
}

export type StepOutcome =
  /** Every confirmed registrant was mailed (or had been): the reminder is `sent`. */
  | "finished"
  /** Time ran short: `reminder.due` was published again with a cursor. */
  | "handed-on"
  /** The session started (or was removed) before everyone was mailed: the step stopped. */
  | "stopped"
  /** The reminder is not being sent (already finished by a duplicate, or never fired). */
  | "nothing-to-do"
  /**
   * Everyone was mailed but for registrants whose mail another step (a duplicated event) had
   * claimed and was still sending: the reminder stays `sending`, leased until those claims end,
   * and is looked at again then (the sweeper publishes it): sent and finished, or taken over from
   * a sender that died.
   */
  | "checks-back";

export const defaultHandOverMarginMs = 20_000;

/**
 * One step of sending a due reminder to a session's confirmed registrants.
 * 1. Reads the reminder: only a `sending` one at the due time of the event is worked on, so a
 *    duplicate of an event whose reminder has finished does nothing. Its lease is renewed with
 *    this step and its cursor (after each page, with the cursor moved on): if the step dies, the
 *    sweeper publishes it again from there once the lease expires.
 * 2. Reads the event and the session (stopping if the session was removed).
 * 3. Pages through the session's confirmed registrants (a Query on gsi1, from the event's cursor):
 *    waitlisted and cancelled registrants are not in it. For each registrant who registered by
 *    the due time, claims the delivery `reminder-<offset>` and mails the reminder in their
 *    language; the page's suppressions are read ahead with one BatchGetItem, and suppressed
 *    addresses are skipped without being counted. The claim is what makes a duplicated event, a retried step or a crash mailing
 *    nobody twice. The mails of each page are counted with one write.
 * 4. Stops when the session has started, marking the reminder finished.
 * 5. When time runs short, lets the sends in flight finish, publishes `reminder.due` again with
 *    a cursor just after the last registrant it took, and returns.
 * 6. After the last page, marks the reminder `sent`; unless it met registrants whose mail another
 *    step (a duplicate) had claimed and was still sending: then it checks back once those claims
 *    end (`checkBack`), so that a duplicate that dies leaves nobody unmailed.
 * A failed send does not stop the rest of its page; the step then throws, to be retried from the
 * cursor it was given.
 */
export async function sendReminderStep(detail: ReminderDue, options: StepOptions): Promise<StepOutcome> {
  const now = options.now ?? (() => new Date());
  const reminder = await findReminder(detail);
  // A `sent` reminder is paged through again: when a duplicated event finished it while the first
  // copy's send failed, the first copy's retry must still mail that registrant (the delivery
  // claims keep everyone else from a second mail). Scheduled, skipped or moved ones are left alone.
  const active = reminder?.status === "sending" || reminder?.status === "sent";
  if (!reminder || !active || reminder.dueAt !== detail.dueAt) return "nothing-to-do";
  const event = await findEvent(detail.eventId);
  const session = event?.sessions.find((candidate) => candidate.id === detail.sessionId);
  // A session removed or cancelled since the reminder fired: its registrants get no reminder.
  if (!event || !session || session.cancelledAt) {
    await finishReminder(reminder, reminder.sent > 0 ? "sent" : "skipped", now());
    return "stopped";
  }

  const startsAt = Date.parse(session.startsAt);
  let sentInStep = 0;
  const hasStarted = () => now().getTime() >= startsAt;
  const reminderOffsetMs = offsetMs(reminder.offset);
  // Mails another copy of the event had claimed and was still sending when met (and those handed
  // on by the steps before), by key: checked again at each page and before finishing.
  const held = new Map((detail.heldElsewhere ?? []).map((mail) => [keyString(mail), mail]));
  const stillHeld = async () => {
    // Those met while the read is out stay for the next one.
    const read = [...held.values()];
    if (read.length === 0) return;
    const unsent = new Set((await stillSending(read.map(({ pk, sk }) => ({ pk, sk })))).map(keyString));
    for (const mail of read) if (!unsent.has(keyString(mail))) held.delete(keyString(mail));
  };
  const next = (cursor: ReminderDue["cursor"]) => ({
    ...detail,
    cursor,
    heldElsewhere: held.size > 0 ? [...held.values()] : undefined,
  });
  const stepLease = (cursor: ReminderDue["cursor"]) =>
    renewReminderLease(reminder, leaseFor(options.timeLeftMs(), message(reminderDue, next(cursor))));

  await stepLease(detail.cursor);
  // The reminder item holds the step's lease (renewed with the cursor at each page), so the claims
  // carry no message of their own.
  const result = await sendPages({
    ...(detail.cursor && { cursor: detail.cursor }),
    readPage: async (cursor) =>
      listSessionRegistrations(detail.eventId, detail.sessionId, "confirmed", {
        limit: options.pageSize ?? 250,
        cursor,
      }),
    include: (registration) => isReminded(registration, reminder),
    deliveryKey: (registration) =>
      keys.delivery(
        registration.registrationId,
        reminderDeliveryKind(reminder.sessionId, reminder.offset),
        1,
      ),
    build: async (registration) =>
      buildRegistrationMail({
        kind: "reminder",
        event,
        session,
        registration,
        manageUrl: await manageUrl(publicUrl, registration.registrationId),
        publicUrl,
        from: mailSettings.from,
        reminderOffsetMs,
      }),
    expiresAt: expiresAtOf(event),
    timeLeftMs: options.timeLeftMs,
    handOverMarginMs: options.handOverMarginMs ?? defaultHandOverMarginMs,
    ...(options.concurrency && { concurrency: options.concurrency }),
    mayGoOn: () => !hasStarted(),
    pageSent: async (sent) => {
      await addSent(reminder, sent);
      sentInStep += sent;
    },
    nextPage: async (cursor) => {
      await stillHeld();
      await stepLease(cursor);
    },
    heldElsewhere: ({ key, until }) => {
      held.set(keyString(key), { pk: key.pk, sk: key.sk, until: until.toISOString() });
    },
  });
  if (result.outcome !== "stopped") await stillHeld();
  switch (result.outcome) {
    case "finished":
      if (held.size > 0 && (await checkBack(detail, [...held.values()]))) return "checks-back";
      await finishReminder(reminder, "sent", now());
      return "finished";
    case "hand-on":
      return handOn(next(result.cursor), reminder.status === "sent");
    case "stopped":
      return stop(reminder, sentInStep, now());
  }
}

async function handOn(detail: ReminderDue, finished: boolean): Promise<StepOutcome> {
  const next = message(reminderDue, detail);
  // The lease names the next step before it is published, so a crash in between is resumed. A
  // reminder already finished (by a duplicate) holds no lease: its retry just carries on.
  if (finished || (await renewReminderLease(detail, handOnLease(next)))) await publishEvents([next]);
  return "handed-on";
}

/**
 * Leaves the reminder `sending` for mails another copy of the event had claimed and has still not
 * sent now that this step's own sends are done (that copy is still at work, or dead): if it died,
 * nobody else would mail them, since a reminder's claims carry no resume message of their own
 * (the reminder item holds the step's lease). The reminder is leased until the last of those
 * claims can be taken over (its end plus SES's send event's grace), and run again from the start
 * by the sweeper then: what went out is found sent, what did not is taken over. A copy still at
 * work finishes the reminder itself, which drops that lease. False when the reminder is no longer
 * sending (that copy finished it).
 */
function checkBack(detail: ReminderDue, held: readonly HeldElsewhere[]): Promise<boolean> {
  const lastEnd = Math.max(...held.map(({ until }) => Date.parse(until)));
  return renewReminderLease(detail, {
    until: new Date(lastEnd + sendEventGraceMs),
    resume: message(reminderDue, { ...detail, cursor: undefined, heldElsewhere: undefined }),
  });
}

/** The session has started: what went out stays counted; a reminder that reached nobody is `skipped`. */
async function stop(reminder: Reminder, sentInStep: number, now: Date): Promise<StepOutcome> {
  await finishReminder(reminder, reminder.sent + sentInStep > 0 ? "sent" : "skipped", now);
  return "stopped";
}
