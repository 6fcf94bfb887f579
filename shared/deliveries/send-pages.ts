import { keys, type TableKey } from "../aws/table.ts";
import type { BusMessage } from "../bus/define-event.ts";
import type { Registration } from "../domain/registration.ts";
import { type RawMail, SendDeadlineError, sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import type { Cursor } from "../registrations/registration-store.ts";
import { type SuppressionsRead, suppressionsOf } from "../suppression/suppression-store.ts";
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
  /**
   * Told of each delivery found claimed by another step whose lease still ran (a duplicate), and
   * when that lease ends: counted as done here, though nothing may have gone out yet.
   */
  heldElsewhere?: (held: { key: TableKey; until: Date }) => void;
}

export type PagesOutcome =
  /** Everyone of every page was mailed (or had been, or is claimed by another step: `heldElsewhere`). */
  | { outcome: "finished" }
  /** Time ran short: the caller hands on from `cursor`. */
  | { outcome: "hand-on"; cursor: Cursor | undefined }
  /** `stopBefore` gave a reason, or `mayGoOn` turned false. */
  | { outcome: "stopped"; reason: string | undefined };

/** How one page of a run of pages went, once every item started of it has settled. */
export interface PageRun<Result> {
  /** Items started, from the first: the rest were not (time ran short, a stop). */
  started: number;
  /** The first item whose send could not start in time (`SendDeadlineError`), if any. */
  firstUnsent?: number;
  /** What each started item gave, in no particular order. */
  settled: PromiseSettledResult<Result>[];
  /** This page and every page before it were sent whole: the step may move on past it. */
  complete: boolean;
}

export interface PagesPipeline<Page, Item, Result> {
  /** Reads the first page. */
  first: () => Promise<Page>;
  /** Reads the page after `page`, or gives undefined after the last one. */
  next: (page: Page) => Promise<Page> | undefined;
  items: (page: Page) => readonly Item[];
  /** Items in flight at once, across pages. */
  concurrency: number;
  /**
   * Sends one item. A `SendDeadlineError` marks it unsent and stops new starts; any other error
   * fails the item, and no page after its own starts.
   */
  work: (item: Item, page: Page) => Promise<Result>;
  /** Checked before each start: false stops new ones (time short, the session started). */
  mayStart: () => boolean;
  /** Checked before a page's first start: a reason stops new starts. */
  stopBefore?: () => Promise<string | undefined>;
  /** Called once per page, in page order, when every item started of it has settled. */
  pageSettled: (page: Page, run: PageRun<Result>) => Promise<void>;
}

/**
 * Sends page after page without a pause between them: the next page is read (with whatever the
 * page reads ahead, e.g. its suppressions) while this one sends, and its first items start as
 * soon as this page's last ones have started, so that the pacer always has sends waiting. A page
 * is settled (counted, a lease moved past it) only once all its started items have settled, in
 * page order. New starts stop at a deadline or `mayStart()` false, and after the page of a failed
 * send; the items in flight settle before this returns.
 */
export async function runPages<Page, Item, Result>(
  pipeline: PagesPipeline<Page, Item, Result>,
): Promise<{ pages: { page: Page; run: PageRun<Result> }[]; stopReason?: string; failed: boolean }> {
  const pages: { page: Page; run: PageRun<Result> }[] = [];
  let inFlight = 0;
  const freed: (() => void)[] = [];
  let stopped = false;
  /** The first page with a failed send: the rest of it is still sent, no later page is. */
  let failedPage: number | undefined;
  let stopReason: string | undefined;
  let allComplete = true;
  let settling = Promise.resolve();
  let reading: Promise<Page> | undefined = pipeline.first();

  for (let pageIndex = 0; reading && !stopped && failedPage === undefined; pageIndex++) {
    const page = await reading;
    reading = pipeline.next(page);
    // A page read ahead and never sent still settles its promise (no unhandled rejection).
    reading?.catch(() => undefined);
    stopReason = await pipeline.stopBefore?.();
    if (stopReason) break;
    const items = pipeline.items(page);
    const run: PageRun<Result> = { started: 0, settled: [], complete: false };
    const sends: Promise<void>[] = [];
    for (const [index, item] of items.entries()) {
      while (inFlight >= pipeline.concurrency) await new Promise<void>((resolve) => freed.push(resolve));
      if (stopped || (failedPage ?? pageIndex) < pageIndex || !pipeline.mayStart()) {
        stopped = true;
        break;
      }
      run.started++;
      inFlight++;
      sends.push(
        pipeline
          .work(item, page)
          .then(
            (value) => {
              run.settled.push({ status: "fulfilled", value });
            },
            (reason: unknown) => {
              if (reason instanceof SendDeadlineError) {
                stopped = true;
                run.firstUnsent = Math.min(run.firstUnsent ?? index, index);
              } else {
                failedPage = Math.min(failedPage ?? pageIndex, pageIndex);
                run.settled.push({ status: "rejected", reason });
              }
            },
          )
          .finally(() => {
            inFlight--;
            freed.shift()?.();
          }),
      );
    }
    pages.push({ page, run });
    const settled = Promise.all(sends);
    settling = settling.then(async () => {
      await settled;
      allComplete &&=
        run.started === items.length &&
        run.firstUnsent === undefined &&
        run.settled.every((result) => result.status === "fulfilled");
      run.complete = allComplete;
      await pipeline.pageSettled(page, run);
    });
  }
  await settling;
  return { pages, failed: failedPage !== undefined, ...(stopReason && { stopReason }) };
}

/**
 * The loop of the senders to a session's registrants (reminders, session updates and
 * cancellations), written once:
 * 1. Before each page, asks `stopBefore`, and hands on if the step's time is short (once it has
 *    attempted a send, so that a chain of steps always ends).
 * 2. Reads each page and its suppressions (one BatchGetItem) while the page before it sends, and
 *    sends to those `include` takes, `concurrency` at a time across pages (`runPages`), each
 *    claimed first (`deliverOnce`): a duplicated event, a retried step or a crash mails nobody
 *    twice. The claims are leased as long as the step can run, so a retry after a crash takes
 *    them over instead of skipping them.
 * 3. A page is counted (`pageSent`), and the step's cursor moved past it (`nextPage`), once all
 *    its sends have settled and every page before it was sent whole.
 * 4. A send still waiting for a slot or backing off when only half the margin is left gives up
 *    (`SendDeadlineError`): its claim is released, and the step hands on from just before it
 *    (those after it who were mailed find their claims).
 * 5. A failed send does not stop the sends in flight; no new one starts, and the step then
 *    throws, to be retried from the cursor it was given.
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

  interface Page {
    /** Where the page starts. */
    from: Cursor | undefined;
    due: Registration[];
    suppressions: SuppressionsRead;
    cursor?: Cursor;
  }
  const read = async (from: Cursor | undefined): Promise<Page> => {
    const page = await step.readPage(from);
    const due = page.registrations.filter(step.include);
    const suppressions = await suppressionsOf(due.map((registration) => registration.email));
    return { from, due, suppressions, ...(page.cursor && { cursor: page.cursor }) };
  };

  if (!mayGoOn()) return { outcome: "stopped", reason: undefined };
  const { pages, failed, stopReason } = await runPages<Page, Registration, DeliveryOutcome>({
    first: () => read(step.cursor),
    next: (page) => (page.cursor ? read(page.cursor) : undefined),
    items: (page) => page.due,
    concurrency,
    mayStart: () => mayGoOn() && !timeIsShort(),
    ...(step.stopBefore && { stopBefore: step.stopBefore }),
    work: async (registration, page) => {
      attempted++;
      return deliverOnce(
        {
          key: step.deliveryKey(registration),
          to: registration.email,
          audience: "registrant",
          suppressions: page.suppressions,
          lease: claimLease(page.from),
          expiresAt: step.expiresAt,
          timeLeftMs: sendLeftMs,
          ...(step.heldElsewhere && { heldElsewhere: step.heldElsewhere }),
        },
        async (sendOptions) => sendRawMail(await step.build(registration), sendOptions),
      );
    },
    pageSettled: async (page, run) => {
      await step.pageSent?.(
        run.settled.filter((result) => result.status === "fulfilled" && result.value === "sent").length,
      );
      if (run.complete && page.cursor) await step.nextPage?.(page.cursor);
    },
  });

  const failures = pages.flatMap(({ run }) =>
    run.settled.flatMap((result) => (result.status === "rejected" ? [result.reason] : [])),
  );
  if (failed) {
    throw new AggregateError(
      failures,
      `${failures.length} mail(s) could not be sent; the step will be retried`,
    );
  }
  if (stopReason) return { outcome: "stopped", reason: stopReason };
  // The first page not sent whole is where the next step starts: just before its first unsent or
  // unstarted registrant (those after it who were mailed find their claims).
  const unfinished = pages.find(({ run }) => !run.complete);
  if (!unfinished) {
    const last = pages.at(-1);
    if (last?.page.cursor) return { outcome: "hand-on", cursor: last.page.cursor };
    return { outcome: "finished" };
  }
  const { page, run } = unfinished;
  const stopAt = Math.min(run.firstUnsent ?? run.started, run.started);
  const lastDone = page.due[stopAt - 1];
  const cursor = lastDone ? cursorAfter(lastDone) : page.from;
  if (run.firstUnsent === undefined && !mayGoOn()) return { outcome: "stopped", reason: undefined };
  return { outcome: "hand-on", cursor };
}

/**
 * Where a page of `listSessionRegistrations` continues after `registration`: a Query's cursor is the
 * key of the last item it read, which for gsi1 is the registration's table key and index key.
 */
const cursorAfter = (registration: Registration): Cursor => ({
  ...keys.registration(registration.registrationId),
  ...keys.registrationIndex(registration),
});
