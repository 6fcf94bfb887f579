import { setTimeout as sleep } from "node:timers/promises";
import {
  GetSendQuotaCommand,
  SESClient,
  SESServiceException,
  SendRawEmailCommand,
} from "@aws-sdk/client-ses";
import { mailSettings } from "./settings.ts";

export { mailSettings } from "./settings.ts";

/**
 * One client per cold start; its endpoint comes from the SDK's own `AWS_ENDPOINT_URL_SES`, which is
 * how the local runtime points it at the local SES. A single attempt per call: throttling is retried
 * below, through the pacer, and SDK retries on top would multiply the attempts and bypass the pacing.
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
 * Sends evenly spaced at the pace, for every sender of the process: each send takes the next free
 * slot (`1000 / pace` ms after the previous one) and waits for it. Even spacing, unlike bursts of
 * `rate` sends a second, keeps the requests of one second from arriving bunched with the next
 * second's, so the pace can sit close to the rate.
 */
class Pacer {
  private nextSlotAt = 0;
  constructor(readonly perSecond: number) {}

  /** The time (performance.now()) the caller may send at; the slot is taken. */
  take(): number {
    const slot = Math.max(performance.now(), this.nextSlotAt);
    this.nextSlotAt = slot + 1000 / this.perSecond;
    return slot;
  }

  /** Gives a slot back when its caller gave up before using it (only if nobody took a later one). */
  giveBack(slot: number): void {
    if (this.nextSlotAt === slot + 1000 / this.perSecond) this.nextSlotAt = slot;
  }
}

let pacer: { pacer: Pacer; readAt: number } | undefined;
let quotaRead: Promise<Pacer> | undefined;

/**
 * The account's max send rate from `GetSendQuota`, read once per {@link quotaTtlMs} for the whole
 * process (concurrent first sends share one read) and retried with backoff when SES does not
 * answer; a new rate replaces the pacer, keeping its next slot.
 */
async function currentPacer(): Promise<Pacer> {
  if (pacer && performance.now() - pacer.readAt < quotaTtlMs) return pacer.pacer;
  quotaRead ??= readQuota().finally(() => {
    quotaRead = undefined;
  });
  return quotaRead;
}

async function readQuota(): Promise<Pacer> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { MaxSendRate } = await ses.send(new GetSendQuotaCommand({}));
      if (!MaxSendRate || MaxSendRate <= 0) {
        throw new Error(`SES reported an unusable MaxSendRate: ${MaxSendRate}`);
      }
      const perSecond = MaxSendRate * paceShare;
      const next = pacer?.pacer.perSecond === perSecond ? pacer.pacer : new Pacer(perSecond);
      pacer = { pacer: next, readAt: performance.now() };
      return next;
    } catch (error) {
      // An old answer is better than none (SES rates are raised, rarely lowered): kept for one more
      // period rather than asked again on every send.
      if (pacer) {
        pacer.readAt = performance.now();
        return pacer.pacer;
      }
      if (attempt + 1 >= quotaAttempts) throw error;
      await sleep(backoffMs(attempt));
    }
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
  const pace = await currentPacer();
  return Math.max(1, Math.ceil((pace.perSecond / paceShare) * (recipientWorkMs / 1000)));
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

async function sendOnce({ raw, to }: RawMail): Promise<string> {
  const { MessageId } = await ses.send(
    new SendRawEmailCommand({
      RawMessage: { Data: raw },
      Source: mailSettings.senderEmail,
      Destinations: [to],
      ConfigurationSetName: mailSettings.configurationSet,
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
 * unsubscribe headers. All sends of the process share one pacer at 0.98 of the account's max send
 * rate (read with `GetSendQuota`, cached). Across processes the rate is kept by the wiring: each
 * bulk sender runs as one instance at a time (reserved concurrency 1), and the local runtime runs
 * every function in one process, behind this one pacer. What still meets another sender's sends
 * (a confirmation during a mailing) is throttled by SES, backed off and sent again through the
 * pacer until SES takes it, never dropped, until `options.timeLeftMs` runs out. Any other error
 * is thrown.
 */
export async function sendRawMail(mail: RawMail, options: SendOptions = {}): Promise<{ messageId: string }> {
  for (let attempt = 0; ; attempt++) {
    const pace = await currentPacer();
    const slot = pace.take();
    try {
      await waitWithin(slot - performance.now(), options, "No sending slot in time");
    } catch (error) {
      pace.giveBack(slot);
      throw error;
    }
    try {
      return { messageId: await sendOnce(mail) };
    } catch (error) {
      if (!isRateThrottling(error)) throw error;
      await waitWithin(backoffMs(attempt), options, "SES kept throttling", error);
    }
  }
}
