import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { sesEventSource } from "../../shared/bus/events/ses-feedback.ts";
import { localBusName, localTableName } from "../local-names.ts";
import { entryOf, type FunctionSpec, functions, timeoutSecondsOf } from "../wiring.ts";
import { dynamoDataDir, ensureTable, startDynamoDbLocal } from "./dynamo.ts";
import {
  type BusEnvelope,
  type LocalEventBus,
  type LocalRule,
  type LocalSchedule,
  startEventBus,
} from "./event-bus.ts";
import { type LocalRoute, startHttpGateway } from "./http-gateway.ts";
import { lambdaContext } from "./lambda-context.ts";
import { sesEventPublisher } from "./mailbox-simulator.ts";
import { ensurePortsFree, freePort } from "./ports.ts";
import { queueTarget } from "./queue-target.ts";
import { type SentMessage, type SesServer, senderIdentities } from "./ses-server.ts";
import { startSesServerThread } from "./ses-thread.ts";
import { type StreamConsumer, startTableStream, type TableStream } from "./table-stream.ts";

export interface LocalStackOptions {
  dataDir: string;
  /** 0 picks a free port (tests); `npm start` uses the fixed ports of the README. */
  ports: { http: number; dynamo: number; ses: number; bus: number };
  publicUrl?: string;
  sesMaxSendRate: number;
  /** The local SES account: verified identities (default: the sender and its domain), sandbox, daily quota. */
  ses?: { verifiedIdentities?: readonly string[]; sandbox?: boolean; max24HourSend?: number };
  /** Interval of schedule rules, instead of their deployed rate; a test need not wait a minute. */
  scheduleSeconds?: number;
  adminToken?: string;
  /** Keep DynamoDB in memory (tests) instead of under the data dir. */
  inMemoryDynamo?: boolean;
  /** Put the demo event in place on first start. */
  seed: boolean;
  /** The built organiser console to serve at `/console/` (`console/dist`), if any. */
  consoleDir?: string;
  log?: (line: string) => void;
  /**
   * Test switch, never for real use: the process (its whole process group, DynamoDB Local
   * included) dies with SIGKILL right after the local SES accepted the `n`th mail to this address
   * (`address` or `address#n`, n = 1 by default) and kept its events (the next start publishes
   * them), before the sender could record it: the window that SES's send event closes. `npm start`
   * reads it from `CONVENE_TEST_CRASH_AFTER_SEND`.
   */
  crashAfterSend?: string;
  /** The functions' log level (Powertools): `INFO` by default, `ERROR` keeps a test run quiet. */
  functionLogLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
}

export interface LocalStack {
  urls: { api: string; outbox: string; dynamo: string; bus: string; ses: string; console: string };
  adminToken: string;
  bus: LocalEventBus;
  stop(): Promise<void>;
}

export { localBusName, localTableName };

/**
 * The whole system on one machine: DynamoDB Local, the local SES, the local bus and the local
 * HTTP API, with every function of the wiring list behind them. Handlers are the same modules
 * that run on Lambda; they reach the local services only through the SDK's own
 * `AWS_ENDPOINT_URL_*` variables, set here before any handler is loaded.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  await mkdir(options.dataDir, { recursive: true });
  const adminToken = options.adminToken ?? (await adminTokenOf(options.dataDir));
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error) => log(`[stop] ${String(error)}`));
  };

  try {
    await ensurePortsFree([
      { port: options.ports.http, what: "The API" },
      { port: options.ports.dynamo, what: "DynamoDB Local" },
      { port: options.ports.ses, what: "The local SES" },
      { port: options.ports.bus, what: "The local event bus" },
    ]);
    const dynamo = await startDynamoDbLocal({
      port: options.ports.dynamo,
      dataDir: options.inMemoryDynamo ? undefined : dynamoDataDir(options.dataDir),
    });
    stops.push(dynamo.stop);
    await ensureTable(dynamo.endpoint, localTableName);

    const httpPort = options.ports.http || (await freePort());
    const busPort = options.ports.bus || (await freePort());
    const sesPort = options.ports.ses || (await freePort());
    const publicUrl = options.publicUrl ?? `http://127.0.0.1:${httpPort}`;

    // Local credentials only: a developer's own AWS profile must never be used against local services.
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${sesPort}`,
      // SES v2 clients (nodemailer's current transport) read their own variable; same local SES.
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${sesPort}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${busPort}`,
      TABLE_NAME: localTableName,
      EVENT_BUS_NAME: localBusName,
      SENDER_EMAIL: "webinars@convene.local",
      SENDER_NAME: "Convene (local)",
      SES_CONFIGURATION_SET: "convene-local",
      PUBLIC_URL: publicUrl,
      // The functions' JSON logs (Powertools), indented when a person watches a terminal; metrics
      // are EMF lines for CloudWatch, noise locally.
      POWERTOOLS_SERVICE_NAME: "convene",
      POWERTOOLS_LOG_LEVEL: options.functionLogLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? "INFO",
      POWERTOOLS_METRICS_DISABLED: "true",
      ...(process.stdout.isTTY && { POWERTOOLS_DEV: "true" }),
      // Every function runs in this one process: a lease taken by an earlier run is dead.
      CONVENE_LEASE_EPOCH: String(Date.now()),
      // The local SES publishes a mail's send event a quarter of a second after it answers (kept
      // on disk until delivered), and a restart delivers those events before it resumes any step:
      // a few seconds of grace are plenty (lease.ts).
      CONVENE_SEND_EVENT_GRACE_MS: process.env.CONVENE_SEND_EVENT_GRACE_MS ?? "5000",
    });

    // Handlers are loaded once the variables above are set: they read them at cold start.
    const routes: LocalRoute[] = [];
    const rules: LocalRule[] = [];
    const schedules: LocalSchedule[] = [];
    const streamConsumers: StreamConsumer[] = [];
    for (const spec of functions) {
      const handler = await loadHandler(spec);
      const invoke = (event: HandlerEvent) =>
        handler(event, lambdaContext(spec.name, timeoutSecondsOf(spec)));
      if (spec.stream) streamConsumers.push({ name: spec.name, filter: spec.stream.filter, target: invoke });
      for (const route of spec.routes ?? []) routes.push({ ...route, handler: invoke });
      if (spec.rule) {
        rules.push({
          name: spec.name,
          pattern: spec.rule,
          target: spec.queue ? queueTarget(spec.name, invoke, spec.queue.batchSize) : invoke,
          bus: spec.bus,
          ...(spec.reservedConcurrency && { concurrency: spec.reservedConcurrency }),
        });
      }
      if (spec.schedule) {
        const everyMs = (options.scheduleSeconds ?? spec.schedule.everyMinutes * 60) * 1000;
        schedules.push({ name: spec.name, everyMs, target: invoke });
      }
    }

    let stream: TableStream | undefined;
    let ses: SesServer | undefined;
    // Schedules (the sweeper's tick among them) wait until SES's send events of the last run are
    // recorded: a step they resume must find those mails sent.
    let sendEventsRecorded = () => {};
    const bus = await startEventBus({
      port: busPort,
      // What the stream has yet to relay, and SES's events still to be published, are on their way
      // to the bus: settling waits for them too.
      upstream: async () => {
        await Promise.all([stream?.drained(), ses?.eventsPublished()]);
      },
      busName: localBusName,
      deadLetterDir: join(options.dataDir, "dead-letters"),
      // Accepted events survive a crash: the next start delivers them.
      journalDir: join(options.dataDir, "bus-pending"),
      rules,
      schedules,
      schedulesAfter: new Promise<void>((resolve) => {
        sendEventsRecorded = resolve;
      }),
      log,
    });

    // SES's events (every mail's `Email Sent`, the mailbox simulator's bounces and complaints) go
    // to the bus, as a configuration set's EventBridge destination puts them on AWS.
    const sesEvents = sesEventPublisher(bus);
    ses = await startSesServerThread({
      port: sesPort,
      outboxDir: join(options.dataDir, "outbox"),
      maxSendRate: options.sesMaxSendRate,
      // As on AWS, the sender must be verified and the configuration set must exist: the account has the
      // configured set, and has verified the configured sender and its domain unless told otherwise.
      verifiedIdentities: options.ses?.verifiedIdentities ?? senderIdentities(process.env.SENDER_EMAIL ?? ""),
      configurationSets: [process.env.SES_CONFIGURATION_SET ?? ""],
      sandbox: options.ses?.sandbox,
      max24HourSend: options.ses?.max24HourSend,
      publishEvents: sesEvents.publish,
      // After the answer, as SES (seconds there; a quarter of a second here keeps the tests that
      // settle on these events quick), kept on disk meanwhile: see the option.
      publishEventsAfterMs: 250,
      ...(options.crashAfterSend && { onSent: crashAfterSend(options.crashAfterSend, log) }),
    }).catch(async (error: unknown) => {
      // The bus is stopped after SES (below): one that did not start leaves nothing to stop it.
      await bus.close();
      throw error;
    });
    stops.push(ses.close);
    // Stopped in reverse: the HTTP edge first, then the bus (its steps in flight finish for a few
    // seconds, the rest stays journaled), then SES and DynamoDB, which no step uses any more.
    stops.push(bus.close);
    // Before any step of the last run resumes: the send events it left (journaled by the bus, or
    // kept by SES when the crash came before it published them) mark their deliveries sent, so
    // that no resumed step takes over the claim of a mail that went out.
    await ses.recovered;
    await bus.deliverJournaled((event) => event.source === sesEventSource);
    sendEventsRecorded();

    // Locally the console signs in with the admin token and links to the outbox of the local SES.
    const consoleSite =
      options.consoleDir === undefined
        ? undefined
        : {
            dir: options.consoleDir,
            config: { auth: "local-token", apiUrl: "", outboxUrl: `${ses.url}/` },
          };
    // The outbox relay reads the table's stream from its end, from now on (as the event source
    // mapping of `relay-outbox` on AWS); what was written before is the sweep's below. Stopped
    // after the HTTP edge, before the bus it publishes to.
    stream = await startTableStream({
      endpoint: dynamo.endpoint,
      tableName: localTableName,
      consumers: streamConsumers,
      log,
    });
    stops.push(stream.close);

    // Steps the last run left half done (a crash, a stop) are published again now, not when
    // their leases expire: nothing of that run is alive any more. That includes outbox items
    // written before the stream's reader started.
    const { resumeStoppedSteps } = await import("../../shared/deliveries/resume-stopped-steps.ts");
    await resumeStoppedSteps(new Date("9999-12-31T00:00:00Z"));
    void bus.deliverJournaled();
    const http = await startHttpGateway({ port: httpPort, routes, adminToken, console: consoleSite, log });
    stops.push(http.close);

    if (options.seed) {
      const { seedDemoEvent } = await import("./seed.ts");
      await seedDemoEvent(new Date());
    }

    return {
      urls: {
        api: http.url,
        outbox: ses.url,
        dynamo: dynamo.endpoint,
        bus: bus.url,
        ses: ses.url,
        console: `${http.url}/console/`,
      },
      adminToken,
      bus,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** What a function is invoked with: an HTTP request, a bus event, or a batch of stream or queue records. */
type HandlerEvent = APIGatewayProxyEventV2 | BusEnvelope | { Records: unknown[] };

type AnyHandler = (event: HandlerEvent, context: Context) => Promise<APIGatewayProxyResultV2>;

async function loadHandler(spec: FunctionSpec): Promise<AnyHandler> {
  const module = (await import(pathToFileURL(entryOf(spec)).href)) as { handler?: AnyHandler };
  if (typeof module.handler !== "function") throw new Error(`${entryOf(spec)} does not export a handler`);
  return module.handler;
}

/** `CONVENE_ADMIN_TOKEN` is passed in as `adminToken`; otherwise one is made on first start and kept. */
async function adminTokenOf(dataDir: string): Promise<string> {
  const file = join(dataDir, "admin-token");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const token = randomBytes(24).toString("base64url");
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  }
}

/** The `onSent` hook of the `crashAfterSend` test switch. */
function crashAfterSend(spec: string, log: (line: string) => void) {
  const [address = "", nth = "1"] = spec.split("#");
  let seen = 0;
  return (message: SentMessage) => {
    if (!message.destinations.some((to) => to.toLowerCase() === address.toLowerCase())) return;
    if (++seen < Number(nth)) return;
    log(`[test] CONVENE_TEST_CRASH_AFTER_SEND: dying after mail ${nth} to ${address}`);
    // The whole group when this process leads it (`npm start` spawned detached), else itself.
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      process.kill(process.pid, "SIGKILL");
    }
  };
}
