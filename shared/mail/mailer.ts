import { setTimeout as sleep } from "node:timers/promises";
import {
  GetSendQuotaCommand,
  SESClient,
  SESServiceException,
  SendRawEmailCommand,
} from "@aws-sdk/client-ses";
import pThrottle from "p-throttle";
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

type SendOnce = (mail: RawMail) => Promise<string>;

const backoff = { baseMs: 100, maxMs: 5_000 };

/**
 * The pacer times a send when it starts, SES when the request arrives. The requests of one burst
 * arrive spread over tens of milliseconds, so a window opening exactly one second after the
 * previous burst still overlaps its late arrivals and gets throttled. Measured against the local
 * SES at 20/s, this margin takes those throttles from a few per window to none.
 */
const arrivalSpreadMs = 100;

let pacedSend: Promise<SendOnce> | undefined;

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

/**
 * `sendOnce` behind a strict sliding-window throttle at the account's max send rate, which SES
 * counts per second, widened by {@link arrivalSpreadMs}. A fractional rate (e.g. 14.5/s) becomes
 * 14 sends per 966 ms (+ the margin).
 */
async function createPacedSend(): Promise<SendOnce> {
  const { MaxSendRate } = await ses.send(new GetSendQuotaCommand({}));
  if (!MaxSendRate || MaxSendRate <= 0) {
    throw new Error(`SES reported an unusable MaxSendRate: ${MaxSendRate}`);
  }
  const limit = Math.max(1, Math.floor(MaxSendRate));
  return pThrottle({
    limit,
    interval: Math.ceil((1000 * limit) / MaxSendRate) + arrivalSpreadMs,
    strict: true,
  })(sendOnce);
}

/** The paced sender, built on the first send of the process; a failed quota read is tried again next time. */
function pacer(): Promise<SendOnce> {
  pacedSend ??= createPacedSend().catch((error: unknown) => {
    pacedSend = undefined;
    throw error;
  });
  return pacedSend;
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

/**
 * Sends one raw message with SES `SendRawEmail`, the only call that can carry calendar invites and
 * unsubscribe headers. All sends of the process share one pacer at the account's max send rate
 * (read with `GetSendQuota` on the first send). The pacer only sees this process, so other
 * senders can still push SES over the rate: a throttled message is backed off and sent again
 * through the pacer until SES takes it, never dropped (the function's timeout bounds the wait).
 * Any other error is thrown.
 */
export async function sendRawMail(mail: RawMail): Promise<{ messageId: string }> {
  const send = await pacer();
  for (let attempt = 0; ; attempt++) {
    try {
      return { messageId: await send(mail) };
    } catch (error) {
      if (!isRateThrottling(error)) throw error;
      await sleep(backoffMs(attempt));
    }
  }
}
