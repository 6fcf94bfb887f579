import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BusEvent, eventSource } from "../shared/bus/define-event.ts";
import { confirmationRequested } from "../shared/bus/events/confirmation-requested.ts";
import { eventSaved } from "../shared/bus/events/event-saved.ts";
import { mailingBatch } from "../shared/bus/events/mailing-batch.ts";
import { mailingRequested } from "../shared/bus/events/mailing-requested.ts";
import { registrationCancelled } from "../shared/bus/events/registration-cancelled.ts";
import { registrationCreated } from "../shared/bus/events/registration-created.ts";
import { registrationErasure } from "../shared/bus/events/registration-erasure.ts";
import { registrationPromoted } from "../shared/bus/events/registration-promoted.ts";
import { registrationSwitched } from "../shared/bus/events/registration-switched.ts";
import { reminderDue } from "../shared/bus/events/reminder-due.ts";
import { retentionChanged } from "../shared/bus/events/retention-changed.ts";
import {
  emailBounced,
  emailComplaintReceived,
  emailSent,
  sesEventSource,
} from "../shared/bus/events/ses-feedback.ts";
import { sessionCancelled } from "../shared/bus/events/session-cancelled.ts";
import { sessionChanged } from "../shared/bus/events/session-changed.ts";
import { deliveryTagName } from "../shared/deliveries/delivery-tag.ts";
import type { EventPattern } from "./event-pattern.ts";

/**
 * The one list of wiring: every Lambda function, its HTTP routes, its event rules and schedule,
 * and what it may touch. The CDK stack builds functions, routes, rules, grants and the schedule
 * from it; the local runtime builds its router, bus rules and timers from it; an infra test holds
 * the synthesized template against it. Add a function here and it exists in both worlds.
 */
export interface FunctionSpec {
  /** Logical name, also the entry file `functions/<name>.ts`. */
  name: string;
  description: string;
  routes?: readonly Route[];
  /** The EventBridge pattern of the rule that invokes it, in EventBridge's JSON form. */
  rule?: EventPattern;
  /**
   * The bus of its rule: Convene's own bus unless `default`, the account's default bus, where AWS
   * services put their events (SES can only send its bounces and complaints there).
   */
  bus?: "default";
  /**
   * Its rule's events reach it through a queue, in batches of up to `batchSize`, for a function
   * invoked once per mail or so whose work batches well (one read for many events). On AWS the
   * rule's target is the function's SQS queue (its dead letters to the stack's dead-letter queue)
   * and an event source mapping reads it; locally the runtime gathers the rule's deliveries the
   * same way (`infra/local/queue-target.ts`). The function takes an SQS event and answers which
   * records failed (`queueConsumer`); each failed record is retried, then dead-lettered, alone.
   */
  queue?: { batchSize: number };
  /** Runs on a schedule (on AWS every `everyMinutes`; locally every `CONVENE_LOCAL_SCHEDULE_SECONDS`). */
  schedule?: { everyMinutes: number };
  /**
   * Takes batches of the table's stream records that match `filter` (a Lambda event filter, which
   * is written like an event pattern, over the record): on AWS through an event source mapping,
   * locally through the runtime's reader of DynamoDB Local's own stream.
   */
  stream?: { filter: EventPattern };
  access: Access;
  timeoutSeconds?: number;
  memoryMb?: number;
  /**
   * At most this many instances at once (Lambda's reserved concurrency; the bus's further events
   * wait in Lambda's asynchronous queue; the local bus runs as many deliveries at once). The mail
   * senders need none: they share the account's SES rate through the sending slots of the mailer.
   */
  reservedConcurrency?: number;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** API Gateway route path, e.g. `/admin/events/{eventId}`. */
  path: string;
  /** `admin` routes need an organiser's token (a Cognito JWT on AWS, the local token locally). */
  auth: "public" | "admin";
}

/** The DynamoDB actions a function may be granted; never Scan, never a stream read. */
export type TableAction =
  | "GetItem"
  | "BatchGetItem"
  | "Query"
  | "PutItem"
  | "UpdateItem"
  | "DeleteItem"
  | "BatchWriteItem"
  | "ConditionCheckItem";

/**
 * What a function may touch: each entry is both an environment variable and an IAM grant. Every
 * field is optional with the narrower choice as default, so an entry that leaves one out still
 * deploys; the infra test then holds each grant against what the function's code sends.
 */
export interface Access {
  /**
   * The table: the DynamoDB actions its code sends (a TransactWriteItems needs the action of each
   * item kind in it; a Query may read gsi1), or, for a new entry, `read` (GetItem, BatchGetItem,
   * Query) or `readWrite` (those and every item write), which the infra test narrows.
   */
  table?: "read" | "readWrite" | readonly TableAction[];
  /**
   * The partitions it may touch (`dynamodb:LeadingKeys` patterns, e.g. `SUPPRESSION#*`), for a
   * function whose every item lives under known prefixes; any partition when absent.
   */
  partitions?: readonly string[];
  /**
   * The token-signing key (item CONFIG / TOKEN-KEY): `sign` reads it and creates it if missing,
   * `verify` only reads it; every other function is denied that item.
   */
  signingKey?: "sign" | "verify";
  bus?: boolean;
  mail?: boolean;
  /** `PUBLIC_URL` without the mail settings: for a page that names its own absolute URL (canonical link). */
  publicUrl?: boolean;
  /** Counts its requests against the public POSTs' rate limits (`shared/abuse/`): given the deployment's limit. */
  rateLimited?: boolean;
}

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "functions");

export const entryOf = (spec: FunctionSpec): string => join(functionsDir, `${spec.name}.ts`);
export const timeoutSecondsOf = (spec: FunctionSpec): number => spec.timeoutSeconds ?? 10;

/** A rule matching Convene's own events of the given types. */
export const onEvents = (...events: BusEvent[]): EventPattern => ({
  source: [eventSource],
  "detail-type": events.map((event) => event.detailType),
});

/** The stream records of outbox items as they are written (`shared/bus/outbox.ts`). */
export const outboxRecords: EventPattern = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { relayOnce: { BOOL: [true] } } },
};

export const functions: readonly FunctionSpec[] = [
  {
    name: "put-event",
    description: "Creates or replaces an event and its sessions",
    routes: [{ method: "PUT", path: "/admin/events/{eventId}", auth: "admin" }],
    // No bus: what a save announces goes through the outbox, in the save's own transaction.
    access: { table: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"] },
  },
  {
    name: "cancel-sessions",
    description: "Cancels a session, or every session of an event, and has their registrants told",
    routes: [
      { method: "POST", path: "/admin/events/{eventId}/sessions/{sessionId}/cancel", auth: "admin" },
      { method: "POST", path: "/admin/events/{eventId}/cancel", auth: "admin" },
    ],
    access: { table: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"], bus: true },
  },
  {
    name: "send-session-cancellations",
    description:
      "Mails each registrant of a cancelled session once (CANCEL invite), handing on with a cursor",
    rule: onEvents(sessionCancelled),
    access: {
      table: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"],
      signingKey: "sign",
      mail: true,
      bus: true,
    },
    timeoutSeconds: 120,
  },
  {
    name: "send-session-updates",
    description:
      "Mails a changed session's registrants what changed (updated invite), once per change, with a cursor",
    rule: onEvents(sessionChanged),
    access: {
      table: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"],
      signingKey: "sign",
      mail: true,
      bus: true,
    },
    timeoutSeconds: 120,
  },
  {
    name: "get-event-admin",
    description: "An event with everything organisers set, join URLs included",
    routes: [{ method: "GET", path: "/admin/events/{eventId}", auth: "admin" }],
    access: { table: ["GetItem"] },
  },
  {
    name: "get-event",
    description: "The public view of an event",
    routes: [{ method: "GET", path: "/events/{eventId}", auth: "public" }],
    access: { table: ["GetItem"], publicUrl: true },
  },
  {
    name: "registration-form",
    description: "The bilingual registration form",
    routes: [{ method: "GET", path: "/events/{eventId}/register", auth: "public" }],
    access: { table: ["GetItem"], signingKey: "sign" },
  },
  {
    name: "register",
    description: "Registers someone for a session (JSON or form post)",
    routes: [{ method: "POST", path: "/events/{eventId}/registrations", auth: "public" }],
    // One transaction and no PutEvents: its messages go through the outbox (relay-outbox).
    access: { table: ["GetItem", "PutItem", "UpdateItem"], signingKey: "sign", rateLimited: true },
  },
  {
    name: "manage-registration",
    description: "The manage page of a registration, behind its signed link",
    routes: [{ method: "GET", path: "/registrations/{registrationId}", auth: "public" }],
    access: { table: ["GetItem"], signingKey: "verify" },
  },
  {
    name: "cancel-registration",
    description: "A registrant's changes behind their signed link: cancel, switch session, correct details",
    // One function for the three (CloudFormation's 500 resources a stack: a function is ~6, a route 3).
    routes: [
      { method: "POST", path: "/registrations/{registrationId}/cancel", auth: "public" },
      { method: "POST", path: "/registrations/{registrationId}/switch", auth: "public" },
      { method: "POST", path: "/registrations/{registrationId}/details", auth: "public" },
    ],
    access: {
      table: ["GetItem", "PutItem", "UpdateItem", "DeleteItem"],
      signingKey: "verify",
      bus: true,
      rateLimited: true,
    },
  },
  {
    name: "list-registrations",
    description: "Registrations of an event for organisers, as JSON pages or CSV",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/registrations", auth: "admin" }],
    access: { table: ["GetItem", "Query"] },
  },
  {
    name: "send-registration-mail",
    description: "Confirmation, waitlist, promotion, cancellation and switch mails, each sent once",
    rule: onEvents(
      registrationCreated,
      confirmationRequested,
      registrationPromoted,
      registrationCancelled,
      registrationSwitched,
    ),
    // BatchWriteItem: a sent mail's outcome, batched with others' (`recordSent`).
    access: { table: ["GetItem", "PutItem", "UpdateItem", "BatchWriteItem"], signingKey: "sign", mail: true },
    timeoutSeconds: 30,
  },
  {
    name: "promote-waitlist",
    description: "Gives freed seats (a cancellation, a raised capacity) to the oldest waitlisted registrants",
    rule: onEvents(registrationCancelled, eventSaved),
    access: { table: ["GetItem", "Query", "PutItem", "UpdateItem"] },
  },
  {
    name: "reminders-tick",
    description: "Fires the due reminders, each once, and resumes the steps whose lease expired",
    schedule: { everyMinutes: 1 },
    access: { table: ["Query", "UpdateItem", "DeleteItem"], bus: true },
  },
  {
    name: "send-reminders",
    description: "Mails a due reminder to a session's confirmed registrants, handing on with a cursor",
    rule: onEvents(reminderDue),
    access: {
      table: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"],
      signingKey: "sign",
      mail: true,
      bus: true,
    },
    timeoutSeconds: 120,
  },
  {
    name: "list-reminders",
    description: "The reminders of an event and where each stands, for organisers",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/reminders", auth: "admin" }],
    // BatchGetItem: the counts come from the delivery records.
    access: { table: ["GetItem", "BatchGetItem", "Query"] },
  },
  {
    name: "import-attendance",
    description: "Imports a session's attendance report (Zoom, Teams, Webex, any CSV with emails)",
    routes: [
      { method: "POST", path: "/admin/events/{eventId}/sessions/{sessionId}/attendance", auth: "admin" },
    ],
    // No bus: `attendance.imported` leaves through the outbox, in the import's last transaction.
    access: { table: ["GetItem", "Query", "PutItem", "DeleteItem", "BatchWriteItem"] },
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
  {
    name: "event-stats",
    description: "Participation per session: registrations, attendance, breakdowns",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/stats", auth: "admin" }],
    access: { table: ["GetItem", "Query"] },
    timeoutSeconds: 30,
  },
  {
    name: "unsubscribe-page",
    description:
      "The page behind an unsubscribe link: the address and a button; opening it unsubscribes nobody",
    routes: [{ method: "GET", path: "/unsubscribe", auth: "public" }],
    access: { table: ["GetItem"], partitions: ["SUPPRESSION#*"], signingKey: "verify" },
  },
  {
    name: "unsubscribe",
    description: "One-click unsubscribe (RFC 8058) from mail providers and the unsubscribe page",
    routes: [{ method: "POST", path: "/unsubscribe", auth: "public" }],
    access: {
      table: ["PutItem"],
      partitions: ["SUPPRESSION#*"],
      signingKey: "verify",
    },
  },
  {
    name: "record-feedback",
    description:
      "Puts addresses that bounced for good or complained on the suppression list; marks sent the delivery an Email Sent event names",
    // SES publishes every configuration set's events of the account to its default bus: `Email
    // Sent` only when it is about one of Convene's deliveries (its tag), or this function would
    // run for every mail any application of the account sends.
    rule: {
      source: [sesEventSource],
      $or: [
        { "detail-type": [emailBounced.detailType, emailComplaintReceived.detailType] },
        {
          "detail-type": [emailSent.detailType],
          detail: { mail: { tags: { [deliveryTagName]: [{ exists: true }] } } },
        },
      ],
    },
    bus: "default",
    // One event per mail sent: ten a batch, one invocation and one read of their delivery records
    // (BatchGetItem) where each alone cost both.
    queue: { batchSize: 10 },
    // Delivery records: a registration's mails (REG#) and a mailing's (MAILING#); a batch of send
    // events reads them first (BatchGetItem) and writes only those still a claim.
    access: {
      table: ["BatchGetItem", "PutItem", "UpdateItem"],
      partitions: ["SUPPRESSION#*", "REG#*", "MAILING#*"],
    },
  },
  {
    name: "create-mailing",
    description: "Creates a draft mailing to a segment of registrants",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/mailings", auth: "admin" }],
    access: { table: ["GetItem", "Query", "PutItem"] },
    timeoutSeconds: 30,
  },
  {
    name: "get-mailing",
    description: "A mailing's settings, status and counts",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/mailings/{mailingId}", auth: "admin" }],
    access: { table: ["GetItem"] },
  },
  {
    name: "preview-mailing",
    description: "A mailing rendered for one recipient",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/mailings/{mailingId}/preview", auth: "admin" }],
    // Unsubscribe and manage links are signed: the signing key may have to be created.
    access: { table: ["GetItem", "Query"], signingKey: "sign", mail: true },
    timeoutSeconds: 30,
  },
  {
    name: "test-mailing",
    description: "Sends one test copy of a mailing",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/mailings/{mailingId}/test", auth: "admin" }],
    // UpdateItem: the mailer's sending slots.
    access: { table: ["GetItem", "UpdateItem"], signingKey: "sign", mail: true },
    timeoutSeconds: 30,
  },
  {
    name: "send-mailing",
    description: "Starts sending a draft mailing (once)",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/mailings/{mailingId}/send", auth: "admin" }],
    access: { table: ["GetItem", "UpdateItem"], bus: true },
  },
  {
    name: "cancel-mailing",
    description: "Stops a mailing's batches not yet sent",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/mailings/{mailingId}/cancel", auth: "admin" }],
    access: { table: ["GetItem", "UpdateItem"] },
  },
  {
    name: "dispatch-mailing",
    description: "Fixes a mailing's recipients and starts its chain of batches",
    rule: onEvents(mailingRequested),
    access: { table: ["GetItem", "Query", "UpdateItem", "BatchWriteItem"], bus: true },
    timeoutSeconds: 120,
  },
  {
    name: "send-mailing-batch",
    description: "Mails one page of a mailing's recipients, paced, once each, and hands on",
    rule: onEvents(mailingBatch),
    access: {
      table: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"],
      signingKey: "sign",
      mail: true,
      bus: true,
    },
    timeoutSeconds: 300,
  },
  {
    name: "list-events",
    description: "The events for organisers, latest-ending first, in pages",
    routes: [{ method: "GET", path: "/admin/events", auth: "admin" }],
    access: { table: ["Query"] },
  },
  {
    name: "delete-event",
    description: "Deletes an event nobody registered for",
    routes: [{ method: "DELETE", path: "/admin/events/{eventId}", auth: "admin" }],
    access: { table: ["GetItem", "Query", "DeleteItem", "ConditionCheckItem", "BatchWriteItem"] },
  },
  {
    name: "list-mailings",
    description: "An event's mailings with status and counts",
    routes: [{ method: "GET", path: "/admin/events/{eventId}/mailings", auth: "admin" }],
    access: { table: ["GetItem", "Query"] },
  },
  {
    name: "update-mailing",
    description: "Replaces a draft mailing's settings",
    routes: [{ method: "PUT", path: "/admin/events/{eventId}/mailings/{mailingId}", auth: "admin" }],
    access: { table: ["GetItem", "Query", "UpdateItem"] },
    timeoutSeconds: 30,
  },
  {
    name: "delete-mailing",
    description: "Deletes a draft mailing",
    routes: [{ method: "DELETE", path: "/admin/events/{eventId}/mailings/{mailingId}", auth: "admin" }],
    access: { table: ["GetItem", "DeleteItem"] },
  },
  {
    name: "segment-count",
    description: "How many registrants a mailing segment selects now",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/segment-count", auth: "admin" }],
    access: { table: ["GetItem", "Query"] },
    timeoutSeconds: 30,
  },
  {
    name: "get-registration",
    description: "One registrant for organisers, with the mails sent to them",
    routes: [
      { method: "GET", path: "/admin/events/{eventId}/registrations/{registrationId}", auth: "admin" },
    ],
    access: { table: ["GetItem", "Query"] },
  },
  {
    name: "registration-action",
    description: "Cancel, restore, move or resend for one registrant, on an organiser's request",
    routes: [
      {
        method: "POST",
        path: "/admin/events/{eventId}/registrations/{registrationId}/{action}",
        auth: "admin",
      },
    ],
    access: { table: ["GetItem", "UpdateItem", "PutItem", "DeleteItem"], bus: true },
  },
  {
    name: "resume-mailing",
    description: "Resumes a mailing being sent from its cursor, counts from its delivery records",
    routes: [{ method: "POST", path: "/admin/events/{eventId}/mailings/{mailingId}/resume", auth: "admin" }],
    access: { table: ["GetItem", "Query", "UpdateItem"], bus: true },
  },
  {
    name: "privacy-notice",
    description: "The privacy notice of an event, in its languages",
    routes: [{ method: "GET", path: "/events/{eventId}/privacy", auth: "public" }],
    access: { table: ["GetItem"] },
  },
  {
    name: "registration-data",
    description: "A registrant's downloads behind their manage link: their data, their calendar invitation",
    routes: [
      { method: "GET", path: "/registrations/{registrationId}/data", auth: "public" },
      { method: "GET", path: "/registrations/{registrationId}/calendar", auth: "public" },
    ],
    access: { table: ["GetItem", "Query"], signingKey: "verify" },
  },
  {
    name: "erase-my-data",
    description: "Delete my data: asks for confirmation, then erases a registrant, behind their manage link",
    routes: [{ method: "POST", path: "/registrations/{registrationId}/erase", auth: "public" }],
    access: {
      table: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
      signingKey: "verify",
      rateLimited: true,
    },
    timeoutSeconds: 30,
  },
  {
    name: "delete-registration",
    description: "Erases one registrant's data on an organiser's request",
    routes: [
      { method: "DELETE", path: "/admin/events/{eventId}/registrations/{registrationId}", auth: "admin" },
    ],
    access: {
      table: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
    },
    timeoutSeconds: 30,
  },
  {
    name: "finish-erasure",
    description: "Finishes an erasure whose process stopped half-way (published by the sweeper)",
    rule: onEvents(registrationErasure),
    access: {
      table: ["GetItem", "Query", "PutItem", "UpdateItem", "BatchWriteItem"],
    },
    timeoutSeconds: 60,
  },
  {
    name: "sync-retention",
    description: "Gives every item about an event's registrants the event's retention end (expiresAt)",
    rule: onEvents(retentionChanged),
    access: { table: ["GetItem", "Query", "UpdateItem"], bus: true },
    timeoutSeconds: 120,
  },
  {
    name: "relay-outbox",
    description: "Publishes the message of each outbox item the table's stream shows, then deletes the item",
    stream: { filter: outboxRecords },
    access: { table: ["DeleteItem"], bus: true },
  },
];
