import { createHash } from "node:crypto";
import * as z from "zod";
import type { TransactItem } from "../aws/dynamo.ts";
import { RateLimitedError } from "../domain/errors.ts";
import { countHit, hitItem } from "./rate-limit-store.ts";
import { isSharedMailDomain } from "./shared-mail-domains.ts";

/**
 * The public POSTs that are limited; each has its own counters. Not the one-click unsubscribe
 * (`functions/unsubscribe.ts`): mail providers post it from a few servers for all their users.
 */
export type LimitedAction = "register" | "cancel";

/** Who a request is counted against: its client IP, and for a registration the email's domain and mailbox. */
export interface Requester {
  ip: string;
  email?: string;
}

/** Limits per hour; 0 turns a limit off. */
export interface RateLimits {
  perIp: number;
  /** An organisation's domain (`unicef.org`). */
  perEmailDomain: number;
  /** A public mail service that millions share (`gmail.com`: `shared-mail-domains.ts`). */
  perSharedMailDomain: number;
  perMailbox: number;
}

const windowMs = 60 * 60 * 1000;

/**
 * The limits of this deployment, from `CONVENE_REGISTRATION_RATE_LIMIT` (requests per client IP
 * and hour, for each of registration and cancel; default 120; `0` turns every limit
 * off). A city hall behind one NAT registering 40 colleagues in an hour is far below it; one
 * client registering 300 times in 14 s is stopped at 120. An email domain gets three times the IP
 * limit (a large organisation's people register from many networks; the limit stops a flood of
 * one organisation's addresses from many networks), a public mail service such as `gmail.com`
 * twenty times (2,400 at the default: an announcement brings its users by the hundred in an hour,
 * and 360 would refuse real people), and one mailbox (`victim+1@…`, `victim+2@…` are one mailbox)
 * 5 an hour: enough for a person who registers again, too few to flood someone's inbox.
 * Read once, at cold start; a bad value stops the start with a message naming the variable.
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const parsed = z.coerce
    .number()
    .int()
    .min(0)
    .default(120)
    .safeParse(env.CONVENE_REGISTRATION_RATE_LIMIT === "" ? undefined : env.CONVENE_REGISTRATION_RATE_LIMIT);
  if (!parsed.success) {
    throw new Error(
      "Invalid configuration: CONVENE_REGISTRATION_RATE_LIMIT must be a whole number (0 = off)",
    );
  }
  const perIp = parsed.data;
  return {
    perIp,
    perEmailDomain: 3 * perIp,
    perSharedMailDomain: 20 * perIp,
    perMailbox: perIp === 0 ? 0 : 5,
  };
}

/**
 * A public mail service's counter is kept in this many parts, each address always counted in the
 * same one (by a hash of its mailbox), each part allowing its share of the limit: a registration's
 * counters are items of its transaction, and DynamoDB cancels one of two concurrent transactions
 * that write the same item, so one `gmail.com` item would make every two gmail registrants at the
 * same moment conflict, whatever their event or session. The limit is about volume: reached part
 * by part, it holds within a few percent.
 */
const sharedDomainShards = 8;

const shardOf = (mailbox: string) =>
  createHash("sha256").update(mailbox).digest().readUInt8(0) % sharedDomainShards;

/**
 * The counters a request adds to. IPv6 clients are counted per /64 (one home or office gets a
 * whole /64 and may use any address in it). A mailbox is the address without its `+tag`.
 */
export function countersOf(action: LimitedAction, requester: Requester, limits: RateLimits) {
  const counters = [{ counter: `${action}#ip#${networkOf(requester.ip)}`, limit: limits.perIp }];
  const email = requester.email?.trim().toLowerCase();
  const at = email?.lastIndexOf("@") ?? -1;
  if (email && at > 0) {
    const domain = email.slice(at + 1);
    const mailbox = `${email.slice(0, at).split("+")[0]}@${domain}`;
    counters.push(
      isSharedMailDomain(domain)
        ? {
            counter: `${action}#domain#${domain}#${shardOf(mailbox)}`,
            limit: Math.ceil(limits.perSharedMailDomain / sharedDomainShards),
          }
        : { counter: `${action}#domain#${domain}`, limit: limits.perEmailDomain },
    );
    counters.push({ counter: `${action}#mailbox#${mailbox}`, limit: limits.perMailbox });
  }
  return counters.filter(({ limit }) => limit > 0);
}

/**
 * A request's hits on its limits, to be counted once: alone ({@link RateLimitCharge.countAlone}),
 * or as items of the transaction that does the request's work, so that a registration costs one
 * round trip, not two. A fixed window (the clock hour) rather than a sliding one: one write per
 * counter and no read, at the cost of allowing up to twice the limit across the turn of an hour,
 * which is harmless here. (Well-kept rate-limiting libraries, such as rate-limiter-flexible, offer
 * DynamoDB stores, but with a read and a write per request and their own table; this is the same
 * fixed window in one write, in the table that already has TTL.)
 */
export interface RateLimitCharge {
  /** One conditional update per counter; a failed condition means that limit is reached. */
  items: TransactItem[];
  /** What to throw when one of `items` failed: 429 with the seconds until the window ends. */
  refusal(): RateLimitedError;
  /** Counts the hits without a transaction (in parallel); throws the refusal when a limit is reached. */
  countAlone(): Promise<void>;
}

export function rateLimitCharge(
  action: LimitedAction,
  requester: Requester,
  limits: RateLimits,
  now = new Date(),
): RateLimitCharge {
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const windowEnd = new Date(windowStart.getTime() + windowMs);
  const counters = countersOf(action, requester, limits).map((counter) => ({
    ...counter,
    windowStart,
    windowEnd,
  }));
  const refusal = () =>
    new RateLimitedError(Math.max(1, Math.ceil((windowEnd.getTime() - now.getTime()) / 1000)));
  return {
    items: counters.map(hitItem),
    refusal,
    async countAlone() {
      const allowed = await Promise.all(counters.map(countHit));
      if (allowed.includes(false)) throw refusal();
    },
  };
}

/**
 * Counts a request against each of its limits (one conditional UpdateItem each, in parallel) and
 * throws `RateLimitedError` with the seconds until the window ends when one is reached.
 */
export const enforceRateLimits = (
  action: LimitedAction,
  requester: Requester,
  limits: RateLimits,
  now = new Date(),
): Promise<void> => rateLimitCharge(action, requester, limits, now).countAlone();

/** The part of an address that identifies one client: the address for IPv4, the /64 for IPv6. */
export function networkOf(ip: string): string {
  // An IPv4 client on a dual-stack socket (`::ffff:192.0.2.1`) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = ip.includes("::") ? [...headGroups, ...Array(missing).fill("0"), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
