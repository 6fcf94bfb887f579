import { keys } from "../aws/table.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { mailingBatch } from "../bus/events/mailing-batch.ts";
import { publishEvents } from "../bus/publish.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import { handOnLease, leaseFor } from "../deliveries/lease.ts";
import { getEvent } from "../events/event-store.ts";
import { SendDeadlineError, sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { runPool } from "../pool.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { suppressionsOf } from "../suppression/suppression-store.ts";
import { finishMailing } from "./finish-mailing.ts";
import {
  addCounts,
  claimNextPage,
  getMailing,
  type Mailing,
  type MailingCounts,
  recipientsPage,
  renewBatchLease,
} from "./mailing-store.ts";
import { mailingMessageFor } from "./message.ts";

type BatchDetail = DetailOf<typeof mailingBatch>;

/** Which counter each outcome of this step adds to; a duplicate (`already-claimed`) adds nothing. */
const counted = { sent: "sent", suppressed: "skipped", rejected: "failed" } as const;

export interface BatchOptions {
  /** The Lambda's remaining time; the step hands on when less than `marginMs` is left. */
  timeLeftMs: () => number;
  marginMs?: number;
  /** Sends in flight at once (by default `sendConcurrency()`); the mailer paces them at the SES max send rate. */
  concurrency?: number;
  /** How often the counts of the sends so far are written while the page is sent. */
  progressEveryMs?: number;
}

/**
 * Counts that reach the mailing while a page is sent: outcomes gather in memory and are added with
 * one write when `everyMs` has passed since the last one. Each write takes what gathered and starts
 * afresh before it awaits, so concurrent senders never add an outcome twice.
 */
function countsInProgress(mailing: Pick<Mailing, "eventId" | "mailingId">, everyMs: number) {
  let gathered: MailingCounts = { sent: 0, skipped: 0, failed: 0 };
  let lastWrite = Date.now();
  const flush = async () => {
    const taken = gathered;
    gathered = { sent: 0, skipped: 0, failed: 0 };
    lastWrite = Date.now();
    await addCounts(mailing, taken);
  };
  return {
    flush,
    async add(counter: keyof MailingCounts) {
      gathered[counter]++;
      if (Date.now() - lastWrite >= everyMs) await flush();
    },
  };
}

/**
 * Consumer of `mailing.batch`: mails one page of recipients, once each.
 * 1. Stops if the mailing was cancelled. Otherwise renews the mailing's lease with this step as
 *    the one to resume (its remaining time plus a margin): if the step dies, the sweeper
 *    publishes it again when the lease expires.
 * 2. Sends to `sendConcurrency()` recipients at once (the max send rate times one recipient's
 *    work), paced by the mailer. Each recipient's delivery is claimed before sending
 *    (`deliverOnce`), leased as long as the step: a duplicated or retried batch never mails
 *    anyone twice, and a crash half-way leaves claims that the resumed step takes over once they
 *    expire; suppressed addresses (read for the whole page at once) are skipped.
 * 3. Adds the outcomes to the mailing's counts about once a second while it sends (so the
 *    organiser's progress moves during a page, at one write a second, not one per recipient),
 *    and the rest at the end, even when a send failed (then the step fails and is retried by
 *    EventBridge: the failed recipient is mailed on retry, the others are not again).
 * 4. Hands on: the same page further on when time ran short (from the first recipient whose send
 *    ran out of time, if any), else the next page (one chain only: sent by this invocation while
 *    it has time, else published), else marks the mailing sent and publishes `mailing.completed`.
 *    The lease names the next step before it is published, so a crash in between is resumed by
 *    the sweeper.
 */
export async function sendMailingBatch(
  detail: BatchDetail,
  options: BatchOptions,
): Promise<"cancelled" | "handed-on" | "done"> {
  const mailing = await getMailing(detail.eventId, detail.mailingId);
  if (mailing.status !== "sending") return "cancelled";
  const lease = leaseFor(options.timeLeftMs(), message(mailingBatch, detail));
  // False for a late duplicate of an earlier page: it runs (the claims keep it from mailing twice)
  // without moving the chain's lease back.
  await renewBatchLease(mailing, detail.page, lease);
  const event = await getEvent(detail.eventId);
  const recipients = (await recipientsPage(detail.mailingId, detail.page)).slice(detail.offset);
  // The page's suppressions in a few BatchGetItems rather than a GetItem per recipient.
  const suppressions = await suppressionsOf(recipients.map((recipient) => recipient.email));
  const progress = countsInProgress(mailing, options.progressEveryMs ?? 1_000);
  const margin = options.marginMs ?? 30_000;

  // A send still waiting for a slot or backing off when only half the margin is left gives up
  // (`SendDeadlineError`): its claim is released and the step hands on from that recipient.
  const sendTimeLeftMs = () => options.timeLeftMs() - margin / 2;
  let firstUnsent: number | undefined;
  const { settled, started } = await runPool(
    recipients.map((recipient, index) => ({ recipient, index })),
    options.concurrency ?? (await sendConcurrency()),
    async ({ recipient, index }) => {
      try {
        const outcome = await deliverOnce(
          {
            key: keys.mailingDelivery(mailing.mailingId, recipient.registrationId),
            to: recipient.email,
            audience: "mailing",
            suppressions,
            lease: { until: lease.until },
            expiresAt: expiresAtOf(event),
            timeLeftMs: sendTimeLeftMs,
          },
          async (sendOptions) => {
            const mail = await mailingMessageFor(mailing, event, recipient);
            return sendRawMail({ raw: mail.raw, to: mail.to }, sendOptions);
          },
        );
        if (outcome !== "already-claimed") await progress.add(counted[outcome]);
      } catch (error) {
        if (!(error instanceof SendDeadlineError)) throw error;
        firstUnsent = Math.min(firstUnsent ?? index, index);
      }
    },
    () => firstUnsent === undefined && options.timeLeftMs() > margin,
  );
  await progress.flush();
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;

  // Recipients after the first unsent one may have been mailed already: their claims make the
  // next step skip them.
  const handOnAt = Math.min(firstUnsent ?? started, started);
  if (handOnAt < recipients.length) {
    const next = message(mailingBatch, { ...detail, offset: detail.offset + handOnAt });
    if (await renewBatchLease(mailing, detail.page, handOnLease(next))) await publishEvents([next]);
    return "handed-on";
  }
  if (detail.page + 1 < (mailing.pages ?? 0)) {
    const nextPage = { ...detail, page: detail.page + 1, offset: 0 };
    const next = message(mailingBatch, nextPage);
    // With time left, this invocation goes on with the next page itself: a hop through the bus
    // between pages leaves SES idle meanwhile (and on AWS, with one instance reserved, the next
    // invocation would wait for this one to end).
    if (options.timeLeftMs() > margin * 2) {
      if (!(await claimNextPage(mailing, detail.page, leaseFor(options.timeLeftMs(), next))))
        return "handed-on";
      return sendMailingBatch(nextPage, options);
    }
    if (await claimNextPage(mailing, detail.page, handOnLease(next))) await publishEvents([next]);
    return "handed-on";
  }
  await finishMailing(mailing);
  return "done";
}
