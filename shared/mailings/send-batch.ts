import { keys } from "../aws/table.ts";
import { type DetailOf, message } from "../bus/define-event.ts";
import { mailingBatch } from "../bus/events/mailing-batch.ts";
import { publishEvents } from "../bus/publish.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import { handOnLease, leaseFor } from "../deliveries/lease.ts";
import { runPages } from "../deliveries/send-pages.ts";
import { getEvent } from "../events/event-store.ts";
import { sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { type SuppressionsRead, suppressionsOf } from "../suppression/suppression-store.ts";
import { finishMailing } from "./finish-mailing.ts";
import {
  addCounts,
  claimNextPage,
  getMailing,
  type Mailing,
  type MailingCounts,
  type Recipient,
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

/** A page of the mailing's recipients, from `offset` on, with their suppressions read ahead. */
interface RecipientsPage {
  page: number;
  offset: number;
  recipients: Recipient[];
  suppressions: SuppressionsRead;
}

async function readRecipients(mailingId: string, page: number, offset: number): Promise<RecipientsPage> {
  const recipients = (await recipientsPage(mailingId, page)).slice(offset);
  // The page's suppressions in a few BatchGetItems rather than a GetItem per recipient.
  const suppressions = await suppressionsOf(recipients.map((recipient) => recipient.email));
  return { page, offset, recipients, suppressions };
}

/**
 * Consumer of `mailing.batch`: mails the mailing's recipients from a page and offset on, once each.
 * 1. Stops if the mailing was cancelled. Otherwise renews the mailing's lease with this step as
 *    the one to resume (its remaining time plus a margin): if the step dies, the sweeper
 *    publishes it again when the lease expires.
 * 2. Sends to `sendConcurrency()` recipients at once (the max send rate times one recipient's
 *    work), paced by the mailer, page after page without a pause (`runPages`: the next page and
 *    its suppressions are read while this one sends, and its first sends start as this one's last
 *    ones do). Each recipient's delivery is claimed before sending (`deliverOnce`), leased as long
 *    as the step: a duplicated or retried batch never mails anyone twice, and a crash half-way
 *    leaves claims that the resumed step takes over once they expire; suppressed addresses are
 *    skipped. A cancelled mailing (read again before each page) starts no new page.
 * 3. Adds the outcomes to the mailing's counts about once a second while it sends (so the
 *    organiser's progress moves during a page, at one write a second, not one per recipient),
 *    and the rest at the end, even when a send failed (then the step fails and is retried by
 *    EventBridge: the failed recipient is mailed on retry, the others are not again).
 * 4. Moves the chain on to the next page (its lease naming a step from that page) once a page's
 *    sends have all settled, the pages before it whole: a crash before that resumes the earlier
 *    page, whose claims skip those mailed. One chain only: if another step moved it, this one
 *    stops starting sends.
 * 5. Hands on when time runs short: from the first recipient whose send ran out of time, or the
 *    first not started, published with the lease naming it first (a crash in between is resumed
 *    by the sweeper); after the last page, marks the mailing sent and publishes
 *    `mailing.completed`.
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
  const progress = countsInProgress(mailing, options.progressEveryMs ?? 1_000);
  const margin = options.marginMs ?? 30_000;
  const pages = mailing.pages ?? 0;
  const pageMessage = (page: number, offset: number) => message(mailingBatch, { ...detail, page, offset });

  // A send still waiting for a slot or backing off when only half the margin is left gives up
  // (`SendDeadlineError`): its claim is released and the step hands on from that recipient.
  const sendTimeLeftMs = () => options.timeLeftMs() - margin / 2;
  let chainLost = false;
  let cancelled = false;
  const run = await runPages<RecipientsPage, Recipient, void>({
    first: () => readRecipients(mailing.mailingId, detail.page, detail.offset),
    next: ({ page }) => (page + 1 < pages ? readRecipients(mailing.mailingId, page + 1, 0) : undefined),
    items: ({ recipients }) => recipients,
    concurrency: options.concurrency ?? (await sendConcurrency()),
    mayStart: () => !chainLost && options.timeLeftMs() > margin,
    stopBefore: async () => {
      cancelled = (await getMailing(detail.eventId, detail.mailingId)).status !== "sending";
      return cancelled ? "cancelled" : undefined;
    },
    work: async (recipient, { suppressions }) => {
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
      // `deferred` never comes back to a step (it passes its time left): a dead claim hands on.
      if (outcome !== "already-claimed" && outcome !== "deferred") await progress.add(counted[outcome]);
    },
    pageSettled: async ({ page }, { complete }) => {
      if (!complete || page + 1 >= pages || chainLost) return;
      const next = pageMessage(page + 1, 0);
      if (!(await claimNextPage(mailing, page, leaseFor(options.timeLeftMs(), next)))) chainLost = true;
    },
  });
  await progress.flush();
  const failure = run.pages.flatMap(({ run }) => run.settled).find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  if (cancelled || chainLost) return cancelled ? "cancelled" : "handed-on";

  // The first page not sent whole is where the next step starts. Recipients after the first unsent
  // one may have been mailed already: their claims make the next step skip them.
  const unfinished = run.pages.find(({ run }) => !run.complete);
  if (unfinished) {
    const { page, offset } = unfinished.page;
    const handOnAt = Math.min(unfinished.run.firstUnsent ?? unfinished.run.started, unfinished.run.started);
    const next = pageMessage(page, offset + handOnAt);
    if (await renewBatchLease(mailing, page, handOnLease(next))) await publishEvents([next]);
    return "handed-on";
  }
  await finishMailing(mailing);
  return "done";
}
