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
   * it needs to hand on). No wait for a sending slot or a backoff begins that would end after it:
   * the send fails with {@link SendDeadlineError} instead, and the caller hands on or retries later.
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
 * Takes `count` consecutive sending slots of the account: their times (epoch ms), evenly spaced in
 * their window. A window's count starts at its slots already past (so that a window begun late is
 * not sent in a burst), and jumps there again when it lags behind the clock (nobody sent for a
 * while); a full window passes the taker on to the next one.
 */
async function takeSlots(perSecond: number, count: number, options: SendOptions): Promise<number[]> {
  const { windowMs, capacity, spacingMs } = windowOf(perSecond);
  let window = Math.floor(Date.now() / windowMs);
  for (;;) {
    const key = keys.sendSlots(rateDomain, window);
    // DynamoDB's TTL deletes the counts of past windows.
    const expiresAt = Math.ceil(((window + 1) * windowMs) / 1000) + 3600;
    const past = Math.min(capacity, Math.max(0, Math.ceil((Date.now() - window * windowMs) / spacingMs)));
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: "SET taken = if_not_exists(taken, :past) + :count, expiresAt = :expiresAt",
        ExpressionAttributeValues: { ":past": past, ":count": count, ":expiresAt": expiresAt },
        ReturnValues: "UPDATED_NEW",
      }),
    );
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
    if (options.timeLeftMs && window * windowMs - Date.now() > options.timeLeftMs()) {
      throw new SendDeadlineError("No sending slot in time: the account's rate is taken until then");
    }
  }
}

/** Slots this process took and has not used yet, earliest first. */
const heldSlots: number[] = [];
let slotsComing: Promise<void> | undefined;

/**
 * The next sending slot for one send of this process. Slots are taken a tenth of a second's worth
 * at a time (10 at 100/s, 1 at 5/s), so that the shared count costs DynamoDB one write per ten
 * mails rather than one per mail. A slot whose time has passed is still used (sent at once): on a
 * loaded machine the round trip that takes it can outlast the spacing of slots, and dropping late
 * slots then left the senders taking slot after slot and sending almost none; the count still
 * bounds what a window sends, and SES's throttling, backed off, what comes out bunched.
 */
async function nextSlot(perSecond: number, options: SendOptions): Promise<number> {
  for (;;) {
    const slot = heldSlots.shift();
    if (slot !== undefined) return slot;
    slotsComing ??= takeSlots(perSecond, Math.max(1, Math.round(perSecond / 10)), options)
      .then((slots) => {
        heldSlots.push(...slots);
        heldSlots.sort((a, b) => a - b);
      })
      .finally(() => {
        slotsComing = undefined;
      });
    await slotsComing;
  }
}

/**
 * How long one recipient of a bulk send takes from start to end when SES answers at once: the
 * suppression read, the delivery claim, composing the message, `SendRawEmail` and the outcome's
 * write, about 250–350 ms measured locally on a loaded 2-core machine (a few DynamoDB and SES
 * round trips on AWS). Rounded up, so that a slower moment still keeps the pace full.
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
    const slot = await nextSlot(await currentPace(), options);
    try {
      await waitWithin(slot - Date.now(), options, "No sending slot in time");
    } catch (error) {
      // Too late for this caller, maybe not for another one of the process.
      heldSlots.unshift(slot);
      throw error;
    }
    try {
      return { messageId: await sendOnce(mail, options) };
    } catch (error) {
      if (!isRateThrottling(error)) throw error;
      await waitWithin(backoffMs(attempt), options, "SES kept throttling", error);
    }
  }
}
