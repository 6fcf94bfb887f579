import { setTimeout as sleep } from "node:timers/promises";
import {
  GetSendQuotaCommand,
  SESClient,
  SESServiceException,
  SendRawEmailCommand,
} from "@aws-sdk/client-ses";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { mailSettings } from "./settings.ts";

export { mailSettings } from "./settings.ts";

/**
 * One client per cold start; its endpoint comes from the SDK's own `AWS_ENDPOINT_URL_SES`, which is
 * how the local runtime points it at the local SES. A single attempt per call: throttling is retried
 * below, in a new sending slot; SDK retries on top would multiply the attempts and bypass the pacing.
 */
const ses = new SESClient({ maxAttempts: 1 });

export interface RawMail {
  /** A complete MIME message, e.g. from `composeMessage`. */
  raw: Buffer;
  /** The one recipient; SES counts its rate in recipients, so each message has exactly one. */
  to: string;
}

export interface SendOptions {
  /**
   * The time the caller has left, in milliseconds (e.g. a step's remaining Lambda time minus what
   * it needs to hand on). A send still waiting for a sending slot when it runs out, or whose
   * backoff would end after it, fails with {@link SendDeadlineError} instead, and the caller hands
   * on or retries later.
   */
  timeLeftMs?: () => number;
  /**
   * SES message tags, published with the message's events (the configuration set's `Email Sent`,
   * bounces…): `deliverOnce` names the delivery record, so that SES's send event records the
   * mail as sent even if the sender dies before it could.
   */
  tags?: readonly { name: string; value: string }[];
}

/** The send could not start before the caller's time ran out (SES was throttling, or the pace was full). */
export class SendDeadlineError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SendDeadlineError";
  }
}

/**
 * The share of the max send rate the pacer aims at. SES counts a sliding second of request
 * arrivals; sends spaced evenly at exactly the rate would be throttled whenever two requests
 * arrive a few milliseconds closer than they left. 2 % leaves two sends of slack per window at
 * 100/s (20 ms of jitter) and keeps the figure above issue 13's goal of 0.95 of the rate.
 */
const paceShare = 0.98;

/** How long a `GetSendQuota` answer is trusted: an account's rate changes rarely, and only upwards. */
const quotaTtlMs = 5 * 60_000;

const backoff = { baseMs: 100, maxMs: 5_000 };
const quotaAttempts = 4;

/**
 * The sending slots of the whole account, shared by every sender of every function and instance:
 * a Lambda that paced only itself would send at the full rate beside a mailing, a reminder and a
 * burst of confirmations doing the same, together several times the rate. The slots are counted
 * in DynamoDB (one item per pacing window, one atomic `UpdateItem` per send), which every sender
 * already reaches, rather than funnelling all mail through one SQS queue and one sender function:
 * the senders keep their own steps, leases and hand-ons, and the local runtime runs the very same
 * code. A window lasts `ceil(50 / pace)` seconds (1 s at 100/s, 11 s at 5/s), so that the
 * window's whole number of slots loses less than one slot in fifty of the pace.
 */
const slotsPerWindowMin = 50;

/**
 * Whose rate the slots share: the SES endpoint (locally, each local SES server has its own rate),
 * else the region (an SES account's rate is per region). Deployments with tables of their own
 * (two stages in one account) do not share slots: each would need its share of the rate.
 */
const rateDomain = (process.env.AWS_ENDPOINT_URL_SES ?? process.env.AWS_REGION ?? "ses").replace(
  /[^\w.:-]/g,
  "_",
);

/** The pace, from `GetSendQuota`: sends per second for the whole account. */
let quota: { perSecond: number; readAt: number } | undefined;
let quotaRead: Promise<number> | undefined;

/**
 * The account's max send rate from `GetSendQuota` (times {@link paceShare}), read once per
 * {@link quotaTtlMs} for the whole process (concurrent first sends share one read) and retried
 * with backoff when SES does not answer.
 */
async function currentPace(): Promise<number> {
  if (quota && performance.now() - quota.readAt < quotaTtlMs) return quota.perSecond;
  quotaRead ??= readQuota().finally(() => {
    quotaRead = undefined;
  });
  return quotaRead;
}

async function readQuota(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { MaxSendRate } = await ses.send(new GetSendQuotaCommand({}));
      if (!MaxSendRate || MaxSendRate <= 0) {
        throw new Error(`SES reported an unusable MaxSendRate: ${MaxSendRate}`);
      }
      quota = { perSecond: MaxSendRate * paceShare, readAt: performance.now() };
      return quota.perSecond;
    } catch (error) {
      // An old answer is better than none (SES rates are raised, rarely lowered): kept for one more
      // period rather than asked again on every send.
      if (quota) {
        quota.readAt = performance.now();
        return quota.perSecond;
      }
      if (attempt + 1 >= quotaAttempts) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}

const slotItemSchema = z.object({ taken: z.number() });

/** The pacing window, its number of slots and their spacing at `perSecond`. */
function windowOf(perSecond: number) {
  const windowMs = Math.ceil(slotsPerWindowMin / perSecond) * 1000;
  const capacity = Math.max(1, Math.floor((perSecond * windowMs) / 1000));
  return { windowMs, capacity, spacingMs: windowMs / capacity };
}

/**
 * How late a slot may still be used, in milliseconds. The slots lie on one even grid, so any span
 * of `D` ms holds at most `floor(D / spacing) + 1` of them; sends that leave at most `late` ms after
 * their slot and reach SES with up to `jitter` ms of spread put at most
 * `floor((1000 + late + jitter) / spacing) + 1` requests in any second SES counts, which stays
 * within the max send rate while `late + jitter < rate × spacing − 1000` (20 ms at 100/s: the
 * 2 % the pace leaves). Half of that is allowed to lateness (a busy event loop, a timer firing
 * late), half is left to the network; a slot later than that is dropped, never sent in a burst.
 */
function lateToleranceMs(perSecond: number): number {
  const { spacingMs } = windowOf(perSecond);
  return Math.max(0, ((perSecond / paceShare) * spacingMs - 1000) / 2);
}

/**
 * How far ahead the slot count's clock is read when a window has lagged behind it (the first take
 * after a pause): a round trip to DynamoDB and back, measured, so that the slots a take returns
 * are still to come when they arrive rather than already too late. A loaded machine measures a
 * longer round trip and reaches further ahead; the cap keeps one slow answer from losing much.
 */
const takeRoundTrip = { ms: 20, weight: 0.2, capMs: 500 };

/**
 * Takes `count` consecutive sending slots of the account: their times (epoch ms), evenly spaced in
 * their window. A window's count starts at its first slot still to come once this take's answer is
 * back (so that a window begun late is not sent in a burst), and jumps there again when it lags
 * behind the clock (nobody sent for a while); a full window passes the taker on to the next one.
 */
async function takeSlots(perSecond: number, count: number): Promise<number[]> {
  const { windowMs, capacity, spacingMs } = windowOf(perSecond);
  let window = Math.floor(Date.now() / windowMs);
  for (;;) {
    const key = keys.sendSlots(rateDomain, window);
    // DynamoDB's TTL deletes the counts of past windows.
    const expiresAt = Math.ceil(((window + 1) * windowMs) / 1000) + 3600;
    const sentAt = Date.now();
    const reach = sentAt + Math.min(takeRoundTrip.capMs, 2 * takeRoundTrip.ms);
    const past = Math.min(capacity, Math.max(0, Math.ceil((reach - window * windowMs) / spacingMs)));
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET taken = if_not_exists(taken, :past) + :count, expiresAt = :expiresAt",
        ExpressionAttributeValues: { ":past": past, ":count": count, ":expiresAt": expiresAt },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    takeRoundTrip.ms += takeRoundTrip.weight * (Date.now() - sentAt - takeRoundTrip.ms);
    let first = slotItemSchema.parse(Attributes).taken - count;
    // Behind the clock: the count jumps to now, unless another taker moved it meanwhile.
    if (first < past && past + count <= capacity) {
      const jumped = await unlessConditionFails(
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: "SET taken = :next",
            ConditionExpression: "taken < :past",
            ExpressionAttributeValues: { ":past": past, ":next": past + count },
          }),
        ),
      );
      if (!jumped) continue;
      first = past;
    }
    const slots = Array.from({ length: count }, (_, index) => first + index)
      .filter((slot) => slot >= past - 1 && slot < capacity)
      .map((slot) => window * windowMs + slot * spacingMs);
    if (slots.length > 0) return slots;
    window = Math.max(window + 1, Math.floor(Date.now() / windowMs));
  }
}

/**
 * What became of the slots this process took, for the measuring scripts: `used` by a send,
 * dropped as too late while sends were waiting (`lateWithSendsWaiting`: the event loop or the
 * take's answer came late), or dropped with no send waiting (`unused`: the senders were busy
 * elsewhere, or done).
 */
export const slotCounts = { used: 0, lateWithSendsWaiting: 0, unused: 0 };

/** A send of this process waiting for its turn to go out. */
interface Turn {
  go: () => void;
  fail: (error: unknown) => void;
}

/** Sends of this process waiting for a slot, first come first served. */
const waiting: Turn[] = [];
/** Slots this process took and has not used yet, earliest first. */
const heldSlots: number[] = [];
let taking: Promise<void> | undefined;
/** When this process last handed a slot to a send (epoch ms). */
let lastSendAt = 0;
let pumpTimer: NodeJS.Timeout | undefined;

/**
 * How many slots a take asks for, and how many the process holds at most while sends wait for
 * them. A take asks for at least a tenth of a second's worth (10 at 100/s, 1 at 5/s), so that the
 * shared count costs DynamoDB one write per ten mails rather than one per mail, and the process
 * holds up to three round trips' worth ahead of the clock (at least 0.3 s): the next take is back
 * before the slots held run out, even when DynamoDB answers slowly. Never more than the sends
 * waiting, though: held slots nobody uses are lost to the account, so a single send takes one.
 */
function takeSizes(perSecond: number) {
  const batch = Math.max(1, Math.round(perSecond / 10));
  const aheadMs = Math.min(takeRoundTrip.capMs * 3, Math.max(300, 3 * takeRoundTrip.ms));
  return { batch, ahead: Math.max(2 * batch, Math.ceil((perSecond * aheadMs) / 1000)) };
}

/** How many slots to take now for the sends waiting (0: the slots held are enough for now). */
function slotsToTake(perSecond: number): number {
  const { batch, ahead } = takeSizes(perSecond);
  const wanted = Math.min(waiting.length, ahead);
  const short = heldSlots.length < Math.min(waiting.length, batch) || heldSlots.length <= wanted - batch;
  return short ? Math.max(1, wanted - heldSlots.length) : 0;
}

/**
 * Takes the slots the sends waiting need, one take at a time. It waits for the sends that start
 * together (a page's first sends) to queue up first, so that they share one take.
 */
async function takeForWaiting(perSecond: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const count = slotsToTake(perSecond);
  if (count === 0) return;
  try {
    heldSlots.push(...(await takeSlots(perSecond, count)));
    heldSlots.sort((a, b) => a - b);
  } catch (error) {
    for (const turn of waiting.splice(0)) turn.fail(error);
  }
}

/**
 * Hands the slots that are due to the sends waiting, in order, and takes more ahead of time while
 * sends wait: a bulk sender's next slots are already held when its last ones are due, so no round
 * trip to DynamoDB stands between two sends. A slot later than {@link lateToleranceMs} (nobody was
 * waiting, or the event loop was busy) is dropped, never sent late.
 */
function pump(perSecond: number): void {
  clearTimeout(pumpTimer);
  pumpTimer = undefined;
  const now = Date.now();
  const tolerance = lateToleranceMs(perSecond);
  // A late slot is still used by a send waiting when this process sent nothing for a second: one
  // late send cannot make a burst, and on a busy machine a single send (a confirmation, a test
  // copy) whose every slot came back late from its take would otherwise never go out.
  const lateIsAlone = () => waiting.length > 0 && now - lastSendAt > 1_000;
  while ((heldSlots[0] ?? now) < now - tolerance && !lateIsAlone()) {
    heldSlots.shift();
    slotCounts[waiting.length > 0 ? "lateWithSendsWaiting" : "unused"]++;
  }
  while (waiting.length > 0 && (heldSlots[0] ?? now + 1) <= now) {
    heldSlots.shift();
    slotCounts.used++;
    lastSendAt = now;
    waiting.shift()?.go();
  }
  if (waiting.length === 0) return;
  if (!taking && slotsToTake(perSecond) > 0) {
    taking = takeForWaiting(perSecond).finally(() => {
      taking = undefined;
      pump(perSecond);
    });
  }
  const next = heldSlots[0];
  if (next !== undefined) pumpTimer = setTimeout(() => pump(perSecond), Math.max(1, next - now));
}

/**
 * Waits for this process's next sending slot. The send goes out at the slot's time, whoever of the
 * process is ready then (not a slot bound to one send ahead of time, which a late send would
 * waste): a wait that would outlast `options.timeLeftMs` fails with {@link SendDeadlineError} when
 * the caller's time is up, and leaves the slot to the next send.
 */
function turnToSend(perSecond: number, options: SendOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let deadline: NodeJS.Timeout | undefined;
    const turn: Turn = {
      go: () => {
        clearTimeout(deadline);
        resolve();
      },
      fail: (error) => {
        clearTimeout(deadline);
        reject(error);
      },
    };
    if (options.timeLeftMs) {
      const leftMs = options.timeLeftMs();
      if (leftMs <= 0) return reject(new SendDeadlineError("No time left to wait for a sending slot"));
      deadline = setTimeout(() => {
        const index = waiting.indexOf(turn);
        if (index >= 0) waiting.splice(index, 1);
        reject(new SendDeadlineError("No sending slot in time: the account's rate is taken until then"));
      }, leftMs);
    }
    waiting.push(turn);
    pump(perSecond);
  });
}

/**
 * How long one recipient of a bulk send takes from start to end when SES answers at once: the
 * suppression read, the delivery claim (which waits up to 100 ms to share a transaction),
 * composing the message, `SendRawEmail` and the outcome's write (up to 100 ms, to share a
 * BatchWriteItem), about 250–450 ms measured locally on a loaded 2-core machine (a few DynamoDB
 * and SES round trips on AWS). Rounded up, so that a slower moment still keeps the pace full: in
 * the bench's runs no slot went unused for want of a send waiting.
 */
const recipientWorkMs = 600;

/**
 * How many recipients a bulk sender keeps in flight: by Little's law, the max send rate times how
 * long one recipient takes (`ceil(rate × 0.6 s)`, 60 at 100/s), so that the pacer, not the pool,
 * sets the pace. More in flight would only wait for a slot while holding a delivery claim.
 */
export async function sendConcurrency(): Promise<number> {
  const perSecond = await currentPace();
  return Math.max(1, Math.ceil((perSecond / paceShare) * (recipientWorkMs / 1000)));
}

/**
 * SES answers `Throttling` both for the send rate and for the daily quota. Only the rate frees up
 * within seconds; waiting out a spent daily quota would hold the function until its timeout.
 */
function isRateThrottling(error: unknown): boolean {
  return error instanceof SESServiceException && error.name === "Throttling" && !/daily/i.test(error.message);
}

/** Exponential backoff with "equal jitter": never zero, and concurrent senders spread out. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

async function sendOnce({ raw, to }: RawMail, options: SendOptions): Promise<string> {
  const { MessageId } = await ses.send(
    new SendRawEmailCommand({
      RawMessage: { Data: raw },
      Source: mailSettings.senderEmail,
      Destinations: [to],
      ConfigurationSetName: mailSettings.configurationSet,
      Tags: options.tags?.map(({ name, value }) => ({ Name: name, Value: value })),
    }),
  );
  if (!MessageId) throw new Error("SES accepted a message without returning its MessageId");
  return MessageId;
}

/** Waits `ms`, unless that ends after the caller's time: then fails with what stopped it. */
async function waitWithin(ms: number, options: SendOptions, why: string, cause?: unknown): Promise<void> {
  if (ms <= 0) return;
  if (options.timeLeftMs && options.timeLeftMs() < ms) {
    throw new SendDeadlineError(`${why}: ${Math.ceil(ms)} ms more would pass the caller's time`, { cause });
  }
  await sleep(ms);
}

/**
 * Sends one raw message with SES `SendRawEmail`, the only call that can carry calendar invites and
 * unsubscribe headers, in a sending slot of the account ({@link takeSlots}): every sender of every
 * function shares 0.98 of the account's max send rate (read with `GetSendQuota`, cached). What
 * still meets a send from outside (another deployment on the account) is throttled by SES,
 * backed off and sent again in a new slot until SES takes it, never dropped, until
 * `options.timeLeftMs` runs out. Any other error is thrown.
 */
export async function sendRawMail(mail: RawMail, options: SendOptions = {}): Promise<{ messageId: string }> {
  for (let attempt = 0; ; attempt++) {
    await turnToSend(await currentPace(), options);
    try {
      return { messageId: await sendOnce(mail, options) };
    } catch (error) {
      if (!isRateThrottling(error)) throw error;
      await waitWithin(backoffMs(attempt), options, "SES kept throttling", error);
    }
  }
}
