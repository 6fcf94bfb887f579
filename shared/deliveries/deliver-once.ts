import { setTimeout as sleep } from "node:timers/promises";
import type { TableKey } from "../aws/table.ts";
import { normalizeEmail } from "../domain/registration.ts";
import { SendDeadlineError, type SendOptions } from "../mail/mailer.ts";
import { type Audience, stopsMail } from "../suppression/suppression.ts";
import { type SuppressionsRead, suppressionOf } from "../suppression/suppression-store.ts";
import { claimDelivery, recordDelivery, recordSent, releaseDelivery } from "./delivery-store.ts";
import { deliveryTag } from "./delivery-tag.ts";
import { type Lease, leaseFor, leaseMarginMs } from "./lease.ts";

/** The longest a Lambda runs: a claim leased for that long cannot outlive a live sender. */
const longestStepMs = 15 * 60_000;

/** Past a dead sender's take-over time, so that the claim's `leaseUntil < now - grace` holds. */
const takeOverStepMs = 5;

/** What a step must still have after waiting for a take-over: the send and its outcome's write. */
const takeOverMarginMs = 5_000;

/**
 * What became of one delivery, each recorded once on its delivery record: `sent`; `suppressed`
 * (the address is on the suppression list for this audience: nothing sent); `rejected` (SES
 * refused this address for good: retrying would fail the same way, so it is not retried);
 * `already-claimed` (a duplicate: another attempt owns this delivery and its outcome); `deferred`
 * (a single mail, without a step time, met the claim of a dead sender still within the grace for
 * SES's send event: nothing sent; the sweeper publishes that sender's resume message again).
 */
export type DeliveryOutcome = "sent" | "already-claimed" | "suppressed" | "rejected" | "deferred";

export interface Delivery {
  /** The delivery record: what is sent and to whom (e.g. `keys.delivery(registrationId, kind, n)`). */
  key: TableKey;
  /** The recipient, checked against the suppression list. */
  to: string;
  /**
   * Who the mail is for: bounced and complained addresses get nothing; unsubscribed addresses
   * still get `registrant` mails (confirmations, reminders of a registration they keep) but no
   * `mailing`.
   */
  audience: Audience;
  /**
   * Suppressions read ahead with `suppressionsOf` for a whole page of recipients (one BatchGetItem
   * instead of a GetItem per send). Without it, or for an address it does not hold, the
   * suppression is read here: one GetItem per send, which is fine for single mails.
   */
  suppressions?: SuppressionsRead;
  /**
   * How long the claim holds while the mail is sent: the step's remaining time plus a margin
   * (`leaseFor(step.timeLeftMs())`), with the message that resumes the step if it dies. Without
   * it, the claim holds for the longest a Lambda can run.
   */
  lease?: Lease;
  /**
   * When DynamoDB's TTL deletes the record, which is about a registrant: the event's `expiresAtOf`
   * (`shared/privacy/retention.ts`). Every sender of the app passes it; tests may leave it out.
   */
  expiresAt?: number;
  /**
   * The time the step has left for this send (its remaining time minus what it needs to hand on),
   * passed to the sender as `SendOptions.timeLeftMs`: a throttled send stops backing off in time
   * with `SendDeadlineError`, the claim is released at once, and the step hands on from there.
   * Whatever it says, the send never begins later than the claim's lease allows.
   */
  timeLeftMs?: () => number;
  /**
   * Told when the delivery is found claimed by another sender whose lease still runs (a duplicated
   * step), with when that lease ends: the outcome is then `already-claimed`, though nothing may
   * have gone out yet, and a step that would end a whole sending (a reminder) checks back then.
   */
  heldElsewhere?: (held: { key: TableKey; until: Date }) => void;
}

/**
 * Sends one mail once, and never to a suppressed address.
 * 1. Checks the suppression list; a suppressed delivery is recorded as such (once: a duplicate
 *    finds the record), so counts built from the records count it once.
 * 2. Claims the delivery with a conditional write keyed by what is sent and to whom, holding a
 *    lease: a duplicated event or a retried step finds the live claim (or the outcome) and sends
 *    nothing. A claim whose lease ended (its sender died) is taken over, once SES's send event
 *    had time to record the mail if it did go out (`claimTimes` in `lease.ts`): the step waits for
 *    that moment if its time allows, else a step hands on from here (`SendDeadlineError`) and a
 *    single mail is `deferred` to the sweeper.
 * 3. Sends (within `delivery.timeLeftMs`) with the SES tag naming the delivery record, and records
 *    the outcome in the very next write (a step's, batched with the outcomes of the sends around it). If SES refuses the address for good (`MessageRejected`),
 *    the record says `rejected` and the caller moves on; any other error (`SendDeadlineError`
 *    included) ends the lease at once so that the retry or the next step sends it, saying whether
 *    nothing went out (taken over at once) or SES may have taken it (taken over after the grace).
 *
 * A process that dies after SES accepted the message and before the outcome's write leaves a
 * `sending` claim; SES's `Email Sent` event, tagged with the record's key, marks it `sent`
 * (`recordSendEvents`) before anyone may take it over. What is left is SES's own event pipeline:
 * an event that comes later than the grace, or never (SES delivers them on a best-effort basis),
 * lets the mail go out a second time.
 */
export async function deliverOnce(
  delivery: Delivery,
  send: (options: SendOptions) => Promise<{ messageId: string }>,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const { key, to, audience } = delivery;
  const tags = [deliveryTag(key)];
  const lease = delivery.lease ?? leaseFor(longestStepMs, undefined, now);
  // No send may begin after the claim's lease (less its margin for the writes after the send) is
  // over: a sweeper or a retry takes an expired claim over and sends, so a send still waiting for
  // a sending slot then would go out twice. On Lambda the function's timeout ends such a send; the
  // local runtime lets a handler run on past its time, as a step of a loaded process may.
  const leaseLeftMs = () => lease.until.getTime() - leaseMarginMs - Date.now();
  const { timeLeftMs: stepLeftMs } = delivery;
  const timeLeftMs = stepLeftMs ? () => Math.min(stepLeftMs(), leaseLeftMs()) : leaseLeftMs;
  const readAhead = delivery.suppressions?.get(normalizeEmail(to));
  const suppression = readAhead === undefined ? await suppressionOf(to) : readAhead;
  const state = stopsMail(suppression, audience) ? "suppressed" : "sending";
  let claimedAt = now;
  // A single mail (no step time: a confirmation) has no claims around it to share a write with.
  const claimOptions = { expiresAt: delivery.expiresAt, alone: !delivery.timeLeftMs };
  let claim = await claimDelivery(key, state, claimedAt, lease, claimOptions);
  // Its sender died; its mail may have gone out, and SES's event may still say so: wait for the
  // claim's take-over time if the step can, and claim again. The condition's `<` makes the write
  // succeed only after that instant, and a timer may wake on it or a millisecond early: hence a
  // few tries, each after the time the last answer gave.
  for (let tries = 0; !claim.claimed && claim.takeOverAt && tries < 3; tries++) {
    const waitMs = Math.max(0, claim.takeOverAt.getTime() - Date.now()) + takeOverStepMs;
    if (waitMs + takeOverMarginMs > timeLeftMs()) {
      // A single mail (no step time of its own) leaves it to the sweeper, which publishes the
      // dead sender's resume message again until the grace is over; a page of a step hands on.
      if (!delivery.timeLeftMs) return "deferred";
      throw new SendDeadlineError("A dead sender's claim may not be taken over before the step's time ends");
    }
    await sleep(waitMs);
    claimedAt = new Date();
    claim = await claimDelivery(key, state, claimedAt, lease, claimOptions);
  }
  if (!claim.claimed) {
    if (claim.heldUntil) delivery.heldElsewhere?.({ key, until: claim.heldUntil });
    return "already-claimed";
  }
  if (state === "suppressed") return "suppressed";
  let messageId: string;
  try {
    if (timeLeftMs() <= 0) throw new SendDeadlineError("The claim's lease ran out before its send began");
    ({ messageId } = await send({ timeLeftMs, tags }));
  } catch (error) {
    if (error instanceof Error && error.name === "MessageRejected") {
      await recordDelivery(key, { state: "rejected", reason: error.message });
      return "rejected";
    }
    await releaseDelivery(key, { ...lease, until: new Date() }, nothingWentOut(error));
    throw error;
  }
  await recordSent(
    key,
    { claimedAt, expiresAt: delivery.expiresAt, messageId, sentAt: new Date() },
    { alone: claimOptions.alone },
  );
  return "sent";
}

/**
 * Whether a failed send certainly sent nothing: it never began (`SendDeadlineError`), or SES
 * answered with a refusal of the caller's (an SDK service exception of `$fault` "client":
 * throttling, a bad parameter). A server fault or a lost connection may hide an accepted message.
 */
function nothingWentOut(error: unknown): boolean {
  return (
    error instanceof SendDeadlineError ||
    (typeof error === "object" && error !== null && "$fault" in error && error.$fault === "client")
  );
}
