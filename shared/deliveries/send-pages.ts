import { keys, type TableKey } from "../aws/table.ts";
import type { BusMessage } from "../bus/define-event.ts";
import type { Registration } from "../domain/registration.ts";
import { type RawMail, SendDeadlineError, sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { runPool } from "../pool.ts";
import type { Cursor } from "../registrations/registration-store.ts";
import { suppressionsOf } from "../suppression/suppression-store.ts";
import { type DeliveryOutcome, deliverOnce } from "./deliver-once.ts";
import { type Lease, leaseFor } from "./lease.ts";

/** One step of mailing a session's registrants, page by page: what the step says of itself. */
export interface PagesStep {
  /** Where the previous step stopped (a Query's cursor), undefined at the start. */
  cursor?: Cursor;
  /** Reads one page of registrations from `cursor`. */
  readPage: (cursor: Cursor | undefined) => Promise<{ registrations: Registration[]; cursor?: Cursor }>;
  /** Who of a page is mailed. */
  include: (registration: Registration) => boolean;
  /** The delivery record of a registrant's mail: one mail per registrant and key, whoever sends it. */
  deliveryKey: (registration: Registration) => TableKey;
  build: (registration: Registration) => Promise<RawMail>;
  /** When the delivery records are deleted by DynamoDB's TTL (`expiresAtOf(event)`). */
  expiresAt: number;
  /** The invocation's remaining time (the Lambda context's `getRemainingTimeInMillis`). */
  timeLeftMs: () => number;
  /**
   * Below this much time left, no new send starts and the step hands on (20 s by default): it
   * covers the sends in flight, the page's count and publishing the next step.
   */
  handOverMarginMs?: number;
  /** Sends in flight at once (by default `sendConcurrency()`); the mailer paces them. */
  concurrency?: number;
  /**
   * The message that runs the step again from a cursor. Given, each delivery claim carries it
   * (from the page's cursor): if the step dies, the sweeper publishes it once the claims' lease
   * expires, for steps that hold no lease of their own. Left out when the caller's own item holds
   * the step's lease (a reminder).
   */
  resumeAt?: (cursor: Cursor | undefined) => BusMessage;
  /** Checked before each page: a reason to stop (the session started, a newer change), or undefined. */
  stopBefore?: () => Promise<string | undefined>;
  /** Checked before each send: false stops starting new ones (the session started). */
  mayGoOn?: () => boolean;
  /** After each page, with how many of it were sent (a reminder counts them). */
  pageSent?: (sent: number) => Promise<void>;
  /** When the step moves on to the next page (a reminder renews its lease with the cursor). */
  nextPage?: (cursor: Cursor) => Promise<void>;
}

export type PagesOutcome =
  /** Everyone of every page was mailed (or had been). */
  | { outcome: "finished" }
  /** Time ran short: the caller hands on from `cursor`. */
  | { outcome: "hand-on"; cursor: Cursor | undefined }
  /** `stopBefore` gave a reason, or `mayGoOn` turned false. */
  | { outcome: "stopped"; reason: string | undefined };

/**
 * The loop of the senders to a session's registrants (reminders, session updates and
 * cancellations), written once:
 * 1. Before each page, asks `stopBefore`, and hands on if the step's time is short (once it has
 *    attempted a send, so that a chain of steps always ends).
 * 2. Reads a page, its suppressions with one BatchGetItem, and sends to those `include` takes,
 *    `concurrency` at a time, each claimed first (`deliverOnce`): a duplicated event, a retried
 *    step or a crash mails nobody twice. The claims are leased as long as the step can run, so a
 *    retry after a crash takes them over instead of skipping them.
 * 3. A send still waiting for a slot or backing off when only half the margin is left gives up
 *    (`SendDeadlineError`): its claim is released, and the step hands on from just before it
 *    (those after it who were mailed find their claims).
 * 4. A failed send does not stop the rest of its page; the step then throws, to be retried from
 *    the cursor it was given.
 */
export async function sendPages(step: PagesStep): Promise<PagesOutcome> {
  const margin = step.handOverMarginMs ?? 20_000;
  const concurrency = step.concurrency ?? (await sendConcurrency());
  const mayGoOn = step.mayGoOn ?? (() => true);
  let attempted = 0;
  const timeIsShort = () => attempted > 0 && step.timeLeftMs() < margin;
  const sendLeftMs = () => step.timeLeftMs() - margin / 2;
  const leaseUntil = leaseFor(step.timeLeftMs()).until;
  const claimLease = (cursor: Cursor | undefined): Lease =>
    step.resumeAt ? { until: leaseUntil, resume: step.resumeAt(cursor) } : { until: leaseUntil };

  let cursor = step.cursor;
  for (;;) {
    const reason = await step.stopBefore?.();
    if (reason) return { outcome: "stopped", reason };
    if (!mayGoOn()) return { outcome: "stopped", reason: undefined };
    if (timeIsShort()) return { outcome: "hand-on", cursor };
    const page = await step.readPage(cursor);
    const due = page.registrations.filter(step.include);
    const suppressions = await suppressionsOf(due.map((registration) => registration.email));
    const lease = claimLease(cursor);
    let firstUnsent: number | undefined;
    const { settled, started } = await runPool(
      due.map((registration, index) => ({ registration, index })),
      concurrency,
      async ({ registration, index }): Promise<DeliveryOutcome> => {
        attempted++;
        try {
          return await deliverOnce(
            {
              key: step.deliveryKey(registration),
              to: registration.email,
              audience: "registrant",
              suppressions,
              lease,
              expiresAt: step.expiresAt,
              timeLeftMs: sendLeftMs,
            },
            async (sendOptions) => sendRawMail(await step.build(registration), sendOptions),
          );
        } catch (error) {
          if (!(error instanceof SendDeadlineError)) throw error;
          firstUnsent = Math.min(firstUnsent ?? index, index);
          return "already-claimed";
        }
      },
      () => firstUnsent === undefined && mayGoOn() && !timeIsShort(),
    );
    await step.pageSent?.(
      settled.filter((result) => result.status === "fulfilled" && result.value === "sent").length,
    );
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} mail(s) could not be sent; the step will be retried`,
      );
    }
    if (firstUnsent !== undefined) {
      const lastDone = due[firstUnsent - 1];
      return { outcome: "hand-on", cursor: lastDone ? cursorAfter(lastDone) : cursor };
    }
    if (started < due.length) {
      // Stopped early (time short, `mayGoOn` false): the checks above stop or hand on from here.
      const lastStarted = due[started - 1];
      if (lastStarted) cursor = cursorAfter(lastStarted);
      continue;
    }
    if (!page.cursor) return { outcome: "finished" };
    cursor = page.cursor;
    await step.nextPage?.(cursor);
  }
}

/**
 * Where a page of `listSessionRegistrations` continues after `registration`: a Query's cursor is the
 * key of the last item it read, which for gsi1 is the registration's table key and index key.
 */
const cursorAfter = (registration: Registration): Cursor => ({
  ...keys.registration(registration.registrationId),
  ...keys.registrationIndex(registration),
});
