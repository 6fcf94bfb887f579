import { keys } from "../aws/table.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { reminderDue } from "../bus/events/reminder-due.ts";
import { publishEvents } from "../bus/publish.ts";
import { type DeliveryOutcome, deliverOnce } from "../deliveries/deliver-once.ts";
import { handOnLease, type Lease, leaseFor } from "../deliveries/lease.ts";
import type { Session, WebinarEvent } from "../domain/event.ts";
import type { Registration } from "../domain/registration.ts";
import { findEvent } from "../events/event-store.ts";
import { mailSettings, SendDeadlineError, sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { buildRegistrationMail } from "../mail/registration-mail.ts";
import { publicUrl } from "../mail/settings.ts";
import { runPool } from "../pool.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { manageUrl } from "../registrations/links.ts";
import { type Cursor, listSessionRegistrations } from "../registrations/registration-store.ts";
import { type SuppressionsRead, suppressionsOf } from "../suppression/suppression-store.ts";
import { isReminded, offsetMs, type Reminder, reminderDeliveryKind } from "./reminder.ts";
import { addSent, findReminder, finishReminder, renewReminderLease } from "./reminder-store.ts";

export type ReminderDue = DetailOf<typeof reminderDue>;

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
  | "nothing-to-do";

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
 * 6. After the last page, marks the reminder `sent`.
 * A failed send does not stop the rest of its page; the step then throws, to be retried from the
 * cursor it was given.
 */
export async function sendReminderStep(detail: ReminderDue, options: StepOptions): Promise<StepOutcome> {
  const now = options.now ?? (() => new Date());
  const margin = options.handOverMarginMs ?? defaultHandOverMarginMs;
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
  let attempted = 0;
  let sentInStep = 0;
  const hasStarted = () => now().getTime() >= startsAt;
  // Each step makes some progress before it may hand on, so a chain of steps always ends.
  const timeIsShort = () => attempted > 0 && options.timeLeftMs() < margin;
  // The delivery claims are leased as long as the step can run.
  const claimLease: Lease = { until: leaseFor(options.timeLeftMs()).until };
  // A send still waiting for a slot or backing off when only half the margin is left gives up
  // (`SendDeadlineError`): its claim is released and the step hands on from that registrant.
  const send = reminderSender(event, session, reminder, claimLease, () => options.timeLeftMs() - margin / 2);
  const concurrency = options.concurrency ?? (await sendConcurrency());
  const stepLease = (cursor: ReminderDue["cursor"]) =>
    renewReminderLease(reminder, leaseFor(options.timeLeftMs(), message(reminderDue, { ...detail, cursor })));

  let cursor = detail.cursor;
  await stepLease(cursor);
  for (;;) {
    if (hasStarted()) return stop(reminder, sentInStep, now());
    if (timeIsShort()) return handOn(detail, cursor, reminder.status === "sent");
    const page = await listSessionRegistrations(detail.eventId, detail.sessionId, "confirmed", {
      limit: options.pageSize ?? 250,
      cursor,
    });
    const due = page.registrations.filter((registration) => isReminded(registration, reminder));
    const suppressions = await suppressionsOf(due.map((registration) => registration.email));
    let firstUnsent: number | undefined;
    const { settled, started } = await runPool(
      due.map((registration, index) => ({ registration, index })),
      concurrency,
      async ({ registration, index }) => {
        attempted++;
        try {
          return await send(registration, suppressions);
        } catch (error) {
          if (!(error instanceof SendDeadlineError)) throw error;
          firstUnsent = Math.min(firstUnsent ?? index, index);
          return "already-claimed";
        }
      },
      () => firstUnsent === undefined && !hasStarted() && !timeIsShort(),
    );
    const sentInPage = settled.filter(
      (result) => result.status === "fulfilled" && result.value === "sent",
    ).length;
    await addSent(reminder, sentInPage);
    sentInStep += sentInPage;
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} reminder(s) could not be sent; the step will be retried`,
      );
    }
    if (firstUnsent !== undefined) {
      // Hands on from just before the first registrant whose send ran out of time; those after it
      // who were mailed find their claims and are skipped.
      const lastDone = due[firstUnsent - 1];
      return handOn(detail, lastDone ? cursorAfter(lastDone) : cursor, reminder.status === "sent");
    }
    const lastStarted = due[started - 1];
    if (started < due.length) {
      // Stopped early (time short, session started): the loop's checks stop or hand on from here.
      if (lastStarted) cursor = cursorAfter(lastStarted);
      continue;
    }
    if (!page.cursor) {
      await finishReminder(reminder, "sent", now());
      return "finished";
    }
    cursor = page.cursor;
    await stepLease(cursor);
  }
}

/**
 * Sends one registrant's reminder once: its delivery record is claimed before the mail goes out.
 * Addresses that bounced or complained are skipped (`suppressed`, not counted as sent);
 * unsubscribing from mailings does not stop the reminders of a registration one keeps.
 */
function reminderSender(
  event: WebinarEvent,
  session: Session,
  reminder: Reminder,
  lease: Lease,
  timeLeftMs: () => number,
) {
  const reminderOffsetMs = offsetMs(reminder.offset);
  return (registration: Registration, suppressions: SuppressionsRead): Promise<DeliveryOutcome> =>
    deliverOnce(
      {
        key: keys.delivery(registration.registrationId, reminderDeliveryKind(reminder.offset), 1),
        to: registration.email,
        audience: "registrant",
        suppressions,
        lease,
        expiresAt: expiresAtOf(event),
        timeLeftMs,
      },
      async (sendOptions) => {
        const mail = await buildRegistrationMail({
          kind: "reminder",
          event,
          session,
          registration,
          manageUrl: await manageUrl(publicUrl, registration.registrationId),
          publicUrl,
          from: mailSettings.from,
          reminderOffsetMs,
        });
        return sendRawMail({ raw: mail.raw, to: mail.to }, sendOptions);
      },
    );
}

/**
 * Where a page of `listSessionRegistrations` continues after `registration`: a Query's cursor is the
 * key of the last item it read, which for gsi1 is the registration's table key and index key.
 */
const cursorAfter = (registration: Registration): Cursor => ({
  ...keys.registration(registration.registrationId),
  ...keys.registrationIndex(registration),
});

async function handOn(
  detail: ReminderDue,
  cursor: Cursor | undefined,
  finished: boolean,
): Promise<StepOutcome> {
  const next = message(reminderDue, { ...detail, cursor });
  // The lease names the next step before it is published, so a crash in between is resumed. A
  // reminder already finished (by a duplicate) holds no lease: its retry just carries on.
  if (finished || (await renewReminderLease(detail, handOnLease(next)))) await publishEvents([next]);
  return "handed-on";
}

/** The session has started: what went out stays counted; a reminder that reached nobody is `skipped`. */
async function stop(reminder: Reminder, sentInStep: number, now: Date): Promise<StepOutcome> {
  await finishReminder(reminder, reminder.sent + sentInStep > 0 ? "sent" : "skipped", now);
  return "stopped";
}
