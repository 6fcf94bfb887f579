import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { EventBridgeEvent } from "aws-lambda";
import { z } from "zod";
import { redriveSource } from "../redrive.ts";
import { compilePattern, type EventPattern } from "./event-pattern.ts";
import { listen } from "./ports.ts";

export type BusEnvelope = EventBridgeEvent<string, unknown>;
export type Target = (event: BusEnvelope) => Promise<unknown>;

export interface LocalRule {
  name: string;
  pattern: EventPattern;
  target: Target;
  /** The bus the rule is on: the bus named `busName` unless `default` (as in the wiring list). */
  bus?: "default";
  /**
   * At most this many deliveries to the target run at once; the others wait their turn, as Lambda's
   * asynchronous queue holds events beyond a function's reserved concurrency (default 10).
   */
  concurrency?: number;
}

export interface LocalSchedule {
  name: string;
  everyMs: number;
  target: Target;
}

export interface EventBusOptions {
  port: number;
  host?: string;
  /**
   * The application's bus. Entries for the account's `default` bus are accepted too, as on AWS,
   * where AWS services (SES) put their events.
   */
  busName: string;
  /** Where events whose delivery failed every attempt are kept, one JSON file each. */
  deadLetterDir: string;
  rules?: readonly LocalRule[];
  schedules?: readonly LocalSchedule[];
  /**
   * Where each accepted delivery (rule and event) is kept until it succeeded or became a dead
   * letter, written before `PutEvents` answers: after a crash or a stop with deliveries still
   * pending, the next start delivers them. Without it, the bus keeps them in memory only.
   */
  journalDir?: string;
  /** Attempts per delivery and the first backoff, doubled at each retry. */
  retry?: { attempts: number; firstDelayMs: number };
  /**
   * What feeds the bus from upstream and has yet to (the table stream's outbox relay): the settle
   * hook waits for it at each round, as it waits for the deliveries in flight.
   */
  upstream?: () => Promise<void>;
  /**
   * Schedule rules start firing once this resolves (default: at once): a restart holds them until
   * it has delivered what must come before any step (SES's send events of the last run).
   */
  schedulesAfter?: Promise<unknown>;
  /** How long `close` lets deliveries in flight finish; what is left stays in the journal. */
  closeWithinMs?: number;
  log?: (line: string) => void;
}

export interface LocalEventBus {
  url: string;
  port: number;
  /**
   * Delivers the journal's deliveries left by the last run (those `only` takes, or all): called
   * once the services their targets use (SES, DynamoDB) are up. Resolves once they are over.
   */
  deliverJournaled(only?: (event: BusEnvelope) => boolean): Promise<void>;
  /**
   * `PutEvents` from within this process (the local SES's event destination, which on AWS puts its
   * events without going through the API either): the same checks, routing, journal and test
   * switch as the HTTP API, without an SDK call, an HTTP request and a JSON round trip per event.
   * Returns each entry's result as `PutEvents` would; refused as a whole while refusing (503).
   * With `journaled: false` the bus writes no journal entry for these deliveries: the caller keeps
   * the events itself until `delivered` says true (every delivery over: handled, or dead-lettered)
   * and puts them again after a crash, or when `delivered` says false (left by a stop).
   */
  putEvents(
    entries: readonly PutEventsEntry[],
    options?: { journaled?: boolean },
  ): PutEventsResult & { delivered: Promise<boolean> };
  /** Resolves once no delivery is pending, including deliveries that those deliveries caused. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const account = "000000000000";
const region = "local";
const maxEntriesPerCall = 10;
const maxEntryBytes = 256 * 1024;
const defaultBusName = "default";
/**
 * Deliveries run at once per target when the wiring reserves no concurrency. On AWS each runs in
 * its own Lambda instance; here they share one process, and a restart that delivers a hundred
 * journaled and resumed steps at once would stretch every DynamoDB round trip of that process to
 * seconds, among them the write that records a mail as sent (the window for a duplicate).
 */
const defaultConcurrency = 10;
/** Test hook of the emulator only (EventBridge has no such thing): `GET /_local/settled?ticks=N`. */
const settledPath = "/_local/settled";
/**
 * Test switch of the emulator only: `POST /_local/refuse-put-events?refuse=1` makes every
 * `PutEvents` fail (503, as a bus that is down), `?refuse=0` accepts again. `npm start` begins
 * refusing when `CONVENE_LOCAL_REFUSE_PUT_EVENTS=1`. What the bus already accepted is still
 * delivered: only new events are refused.
 */
const refusePath = "/_local/refuse-put-events";
/** How many generations of deliveries `settled` waits for: a step, the step it hands on, and one more. */
const settleRounds = 3;

/**
 * A local EventBridge: speaks `PutEvents` (the AWS SDK's JSON 1.1 protocol) on a port, routes each
 * event with the same rules the stack deploys, each on its own bus (the application's or the
 * default one), and delivers asynchronously with retries and backoff, as EventBridge does. What still fails is kept as a dead letter and logged. Schedule
 * rules fire on timers.
 */
export async function startEventBus(options: EventBusOptions): Promise<LocalEventBus> {
  const retry = options.retry ?? { attempts: 3, firstDelayMs: 200 };
  const log = options.log ?? ((line: string) => console.log(line));
  const pending = new Set<Promise<boolean>>();
  let closing = false;

  const journal = options.journalDir ? journalIn(options.journalDir) : undefined;
  const limits = new Map(
    (options.rules ?? []).map((rule) => [rule.name, limiter(rule.concurrency ?? defaultConcurrency)]),
  );
  const deliver = (ruleName: string, target: Target, event: BusEnvelope, journaled = true) => {
    const entry = journaled && journal ? journal.keep(ruleName, event) : undefined;
    const delivery = deliverWithRetries(ruleName, target, event)
      .then((done) => {
        if (done && entry) journal?.drop(entry);
        return done;
      })
      .finally(() => pending.delete(delivery));
    pending.add(delivery);
    return delivery;
  };

  /** True once the delivery is over (delivered or dead-lettered); false when left for the next start. */
  async function deliverWithRetries(ruleName: string, target: Target, event: BusEnvelope): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        failOnPurpose(ruleName);
        const limit = limits.get(ruleName);
        await (limit ? limit(() => target(event)) : target(event));
        return true;
      } catch (error) {
        // Stopping: a journaled delivery waits for the next start instead of becoming a dead letter.
        if (closing && journal) return false;
        if (attempt >= retry.attempts || closing) {
          await keepDeadLetter(ruleName, event, error, attempt);
          return true;
        }
        await sleep(retry.firstDelayMs * 2 ** (attempt - 1));
        if (closing && journal) return false;
      }
    }
  }

  async function keepDeadLetter(ruleName: string, event: BusEnvelope, error: unknown, attempts: number) {
    await mkdir(options.deadLetterDir, { recursive: true });
    const file = join(options.deadLetterDir, `${compactTime(new Date())}-${ruleName}-${event.id}.json`);
    const reason = error instanceof Error ? error.message : String(error);
    await writeFile(file, JSON.stringify({ rule: ruleName, attempts, error: reason, event }, null, 2));
    log(
      `[bus] dead letter: ${event["detail-type"]} to ${ruleName} failed ${attempts} times (${reason}); kept in ${file}`,
    );
  }

  // Compiled once: a mistyped rule fails the start, not the first event.
  const rules = (options.rules ?? []).map((rule) => ({
    ...rule,
    busName: rule.bus ?? options.busName,
    matches: compilePattern(rule.pattern),
  }));
  /** Delivers an event to each rule it matches; what each delivery came to (see `deliver`). */
  const route: Route = (event, busName, journaled = true) => {
    if (busName === options.busName && event.source === redriveSource) return [redrive(event)];
    return rules
      .filter((rule) => rule.busName === busName && rule.matches(event as unknown as Record<string, unknown>))
      .map((rule) => deliver(rule.name, rule.target, event, journaled));
  };
  /** `convene dead-letters redrive`: the original event (the detail) to the target named by the detail-type, only. */
  const redrive = (event: BusEnvelope) => {
    const name = event["detail-type"];
    const target = [...rules, ...(options.schedules ?? [])].find((candidate) => candidate.name === name);
    if (target) return deliver(name, target.target, event.detail as BusEnvelope);
    log(`[bus] redrive to ${name}: no such target`);
    return Promise.resolve(true);
  };
  const busNames = new Set([options.busName, defaultBusName]);

  let refusing = process.env.CONVENE_LOCAL_REFUSE_PUT_EVENTS === "1";
  const server = createServer((request, response) => {
    if (request.method === "POST" && request.url?.startsWith(refusePath)) {
      refusing = new URL(request.url, "http://bus").searchParams.get("refuse") !== "0";
      log(`[bus] ${refusing ? "refusing" : "accepting"} PutEvents (test switch)`);
      sendJson(response, 200, { refusing });
      return;
    }
    if (request.method === "GET" && request.url?.startsWith(settledPath)) {
      const ticks = Number(new URL(request.url, "http://bus").searchParams.get("ticks") ?? 0);
      settled(ticks).then(() => sendJson(response, 200, { settled: true }));
      return;
    }
    if (refusing) {
      sendError(response, 503, "ServiceUnavailable", refusedMessage);
      return;
    }
    handlePutEvents(request, response, busNames, route).catch((error) => {
      log(`[bus] request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendError(response, 500, "InternalException", "internal error");
    });
  });
  const port = await listen(server, options.port, options.host ?? "127.0.0.1", "The local event bus");

  /** Delivers what the last run accepted and did not deliver (a crash, a stop). */
  const deliverJournaled = async (only: (event: BusEnvelope) => boolean = () => true) => {
    const deliveries: Promise<boolean>[] = [];
    for (const { rule, event } of journal ? journal.left() : []) {
      if (!only(event)) continue;
      const target = [...rules, ...(options.schedules ?? [])].find((candidate) => candidate.name === rule);
      if (target) deliveries.push(deliver(rule, target.target, event));
      else log(`[bus] kept delivery to ${rule}: no such target any more`);
    }
    await Promise.allSettled(deliveries);
  };
  /** Ticks each schedule has completed: what `settled` counts. */
  const ticksDone = (options.schedules ?? []).map(() => 0);
  const timers: NodeJS.Timeout[] = [];
  const startSchedules = () => {
    if (closing) return;
    timers.push(...(options.schedules ?? []).map(startTimer));
  };
  const startTimer = (schedule: LocalSchedule, index: number) => {
    let running: Promise<boolean> | undefined;
    return setInterval(() => {
      if (running || closing) return; // a slow tick is not stacked on itself
      running = deliver(schedule.name, schedule.target, scheduledEvent(schedule.name), false).finally(() => {
        running = undefined;
        ticksDone[index] = (ticksDone[index] ?? 0) + 1;
      });
    }, schedule.everyMs);
  };
  if (options.schedulesAfter) void options.schedulesAfter.then(startSchedules);
  else startSchedules();

  const idle = async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };

  /**
   * Resolves once every schedule has completed `ticks` more ticks and then nothing is pending: what a
   * test that checks "nothing else was sent" waits for, instead of sleeping a guessed time.
   */
  const settled = async (ticks: number) => {
    const target = ticksDone.map((done) => done + ticks);
    while (ticksDone.some((done, index) => done < (target[index] ?? 0))) await sleep(20);
    // What was in flight then, and what those deliveries published in turn (a few rounds): not
    // "until the bus is idle", which tests running beside this one may never let it be.
    for (let round = 0; round < settleRounds; round++) {
      await options.upstream?.();
      if (pending.size === 0) break;
      await Promise.allSettled([...pending]);
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deliverJournaled,
    putEvents(entries, { journaled = true } = {}) {
      if (refusing) throw new Error(refusedMessage);
      // As the HTTP endpoint, closed first: a publisher in this process keeps what it could not
      // put (the local SES keeps its records for the next start) instead of routing to stopped
      // functions.
      if (closing) throw new Error("the local event bus is stopping");
      const deliveries: Promise<boolean>[] = [];
      const result = putEntries(entries, busNames, (event, busName) => {
        const routed = route(event, busName, journaled);
        deliveries.push(...routed);
        return routed;
      });
      return { ...result, delivered: Promise.all(deliveries).then((done) => done.every(Boolean)) };
    },
    idle,
    async close() {
      closing = true;
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Deliveries in flight get a few seconds to finish; with a journal, the rest wait for the
      // next start (their steps' leases let them take over whatever was half done).
      await (journal ? Promise.race([idle(), sleep(options.closeWithinMs ?? 5_000)]) : idle());
    },
  };
}

/** Runs at most `concurrency` tasks at once, the others in the order they came. */
function limiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A task that ends hands its place to the next waiting one, so that nobody jumps the queue.
    if (running < concurrency) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** The journal of pending deliveries: one small file each, written synchronously before the answer. */
function journalIn(dir: string) {
  mkdirSync(dir, { recursive: true });
  const entrySchema = z.object({ rule: z.string(), event: z.looseObject({ id: z.string() }) });
  // Deliveries this run accepted are its own to deliver: `left` is what earlier runs left.
  const keptHere = new Set<string>();
  return {
    keep(rule: string, event: BusEnvelope): string {
      const name = `${event.id}-${rule}.json`;
      writeFileSync(join(dir, name), JSON.stringify({ rule, event }));
      keptHere.add(name);
      return join(dir, name);
    },
    drop(file: string) {
      rmSync(file, { force: true });
    },
    left(): { rule: string; event: BusEnvelope }[] {
      return readdirSync(dir)
        .filter((file) => file.endsWith(".json") && !keptHere.has(file))
        .flatMap((file) => {
          try {
            const entry = entrySchema.parse(JSON.parse(readFileSync(join(dir, file), "utf8")));
            return [{ rule: entry.rule, event: entry.event as unknown as BusEnvelope }];
          } catch {
            // Cut short by the crash while being written: it was never acknowledged.
            rmSync(join(dir, file), { force: true });
            return [];
          }
        });
    },
  };
}

export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number;
}

async function handlePutEvents(
  request: IncomingMessage,
  response: ServerResponse,
  busNames: ReadonlySet<string>,
  route: Route,
) {
  const target = request.headers["x-amz-target"];
  if (request.method !== "POST" || target !== "AWSEvents.PutEvents") {
    return sendError(response, 400, "UnknownOperationException", `unsupported operation ${String(target)}`);
  }
  let entries: PutEventsEntry[];
  try {
    entries = (JSON.parse(await readText(request)) as { Entries?: PutEventsEntry[] }).Entries ?? [];
  } catch {
    return sendError(response, 400, "SerializationException", "the request body is not valid JSON");
  }
  if (entries.length === 0 || entries.length > maxEntriesPerCall) {
    return sendError(response, 400, "ValidationException", `send 1 to ${maxEntriesPerCall} entries per call`);
  }
  sendJson(response, 200, putEntries(entries, busNames, route));
}

export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[];
}

const refusedMessage = "the local bus refuses PutEvents (test switch)";

/** Routes an event on a bus: one promise per delivery, true once over, false if left for the next start. */
type Route = (event: BusEnvelope, busName: string, journaled?: boolean) => Promise<boolean>[];

/** Checks and routes the entries of one `PutEvents`, each on its own: `PutEvents`' answer. */
function putEntries(
  entries: readonly PutEventsEntry[],
  busNames: ReadonlySet<string>,
  route: Route,
): PutEventsResult {
  const results = entries.map((entry) => {
    const checked = entryDetail(entry, busNames);
    if ("problem" in checked)
      return { ErrorCode: checked.problem.code, ErrorMessage: checked.problem.message };
    const event: BusEnvelope = {
      version: "0",
      id: randomUUID(),
      "detail-type": entry.DetailType as string,
      source: entry.Source as string,
      account,
      time: new Date(entry.Time ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region,
      resources: entry.Resources ?? [],
      detail: checked.detail,
    };
    route(event, busOf(entry));
    return { EventId: event.id };
  });
  return { FailedEntryCount: results.filter((result) => "ErrorCode" in result).length, Entries: results };
}

/** The bus an entry is for: a name or an ARN (`…:event-bus/<name>`); the default bus when absent. */
const busOf = (entry: PutEventsEntry) =>
  (entry.EventBusName ?? defaultBusName).split("/").pop() ?? defaultBusName;

/** An entry's detail, parsed once, or why `PutEvents` refuses the entry. */
function entryDetail(
  entry: PutEventsEntry,
  busNames: ReadonlySet<string>,
): { detail: object } | { problem: { code: string; message: string } } {
  if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
    return { problem: { code: "InvalidArgument", message: "Source, DetailType and Detail are required" } };
  }
  const entryBus = busOf(entry);
  if (!busNames.has(entryBus))
    return { problem: { code: "InvalidArgument", message: `no event bus named ${entryBus}` } };
  if (Buffer.byteLength(entry.Detail) > maxEntryBytes) {
    return { problem: { code: "InvalidArgument", message: "an entry is limited to 256 KB" } };
  }
  try {
    const detail: unknown = JSON.parse(entry.Detail);
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) throw new Error();
    return { detail };
  } catch {
    return { problem: { code: "MalformedDetail", message: "Detail must be a JSON object" } };
  }
}

function scheduledEvent(ruleName: string): BusEnvelope {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region,
    resources: [`arn:aws:events:${region}:${account}:rule/${ruleName}`],
    detail: {},
  };
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string) {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type });
  response.end(JSON.stringify({ __type: type, message }));
}

const compactTime = (date: Date) => date.toISOString().replace(/[-:.]/g, "");

/**
 * Test switch: every delivery to a target named in `CONVENE_LOCAL_FAIL_TARGETS` (comma-separated
 * wiring names) fails, so that a real dead letter can be made. Read at each attempt, so that a test
 * (or a restart without it) lets the redrive through.
 */
function failOnPurpose(targetName: string): void {
  const names = (process.env.CONVENE_LOCAL_FAIL_TARGETS ?? "").split(",").map((name) => name.trim());
  if (names.includes(targetName))
    throw new Error(`${targetName} fails on purpose (CONVENE_LOCAL_FAIL_TARGETS)`);
}
