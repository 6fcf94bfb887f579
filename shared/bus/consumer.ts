import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod";
import { correlationIdsOf, count, errorFields, log, withInvocation } from "../observability.ts";
import type { BusEvent, DetailOf } from "./define-event.ts";

/** What a step of long work knows of its invocation. */
export interface Step {
  /** The id of the bus event being handled: a retry has the same id, a duplicate another one. */
  busEventId: string;
  /** The Lambda's remaining time: a step hands the rest on through the bus before it runs out. */
  timeLeftMs: () => number;
}

/** One of the events a consumer takes, with its detail parsed: `switch` on `detailType` narrows it. */
export type MessageOf<Event extends BusEvent> = Event extends BusEvent
  ? { detailType: Event["detailType"]; detail: DetailOf<Event> }
  : never;

const stepOf = (busEventId: string, context: Context): Step => ({
  busEventId,
  timeLeftMs: () => context.getRemainingTimeInMillis(),
});

/**
 * The Lambda handler of a bus consumer: the one wrapper every rule target goes through, as
 * `httpRoute` is for HTTP. It finds the event's definition by its detail-type, parses the detail
 * with that event's schema (a detail that does not parse fails the invocation, so it is retried and
 * then dead-lettered, never half-handled), and calls one use case, with the step's logger and
 * metrics (`runStep`).
 */
export function busConsumer<const Events extends readonly BusEvent[]>(
  events: Events,
  handle: (message: MessageOf<Events[number]>, step: Step) => Promise<unknown>,
) {
  const messageOf = messageParser(events);
  return (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> =>
    runStep(event, context, correlationIdsOf(event.detail), (step) => handle(messageOf(event), step));
}

/**
 * The message of a bus event for a consumer of `events`: its definition found by the detail-type,
 * its detail parsed with that event's schema; throws for an event it does not take or a detail
 * that does not parse.
 */
function messageParser<const Events extends readonly BusEvent[]>(events: Events) {
  const definitions = new Map<string, BusEvent>(events.map((event) => [event.detailType, event]));
  return (event: { "detail-type": string; detail: unknown }): MessageOf<Events[number]> => {
    const definition = definitions.get(event["detail-type"]);
    if (!definition) throw new Error(`this consumer does not take "${event["detail-type"]}" events`);
    const detail = definition.schema.parse(event.detail);
    return { detailType: definition.detailType, detail } as MessageOf<Events[number]>;
  };
}

/**
 * One step with its logger and metrics: a line when it ends (its outcome, how long it took) or
 * fails (the error, then rethrown so the bus retries it), every line carrying the bus event's id
 * and the ids of what the step works on, so a failed step's lines are found by its mailing id.
 */
async function runStep(
  event: EventBridgeEvent<string, unknown>,
  context: Context,
  ids: Record<string, string | number>,
  handle: (step: Step) => Promise<unknown>,
): Promise<void> {
  const keys = { busEventId: event.id, detailType: event["detail-type"], ...ids };
  await withInvocation(keys, context, async () => {
    const started = Date.now();
    try {
      const outcome = await handle(stepOf(event.id, context));
      log().info("step done", { outcome: summaryOf(outcome), durationMs: Date.now() - started });
      count("StepSucceeded", { detailType: event["detail-type"] });
    } catch (error) {
      log().error("step failed", { error: errorFields(error), durationMs: Date.now() - started });
      count("StepFailed", { detailType: event["detail-type"] });
      throw error;
    }
  });
}

/** What a use case returned, as a log field: words and counts, never the records it read. */
const summaryOf = (outcome: unknown): unknown =>
  typeof outcome === "string" || typeof outcome === "number" || outcome === undefined
    ? outcome
    : typeof outcome === "object" &&
        outcome !== null &&
        Object.values(outcome).every((v) => typeof v === "number")
      ? outcome
      : typeof outcome;

/** One record of a queue consumer's batch: its id, to name it among the failures, and its message. */
export interface Queued<Message> {
  id: string;
  message: Message;
}

/** A record the use case could not handle, and why: it alone is retried, then dead-lettered. */
export interface QueuedFailure {
  id: string;
  error: unknown;
}

/** What a rule puts on a queue: the bus event, whose detail the event's own schema then parses. */
const queuedEnvelopeSchema = z.object({ id: z.string(), "detail-type": z.string(), detail: z.unknown() });

/**
 * The Lambda handler of a consumer whose rule's events come through a queue (`queue` in the
 * wiring list): an SQS event source mapping on AWS, the local runtime's `queueTarget` locally.
 * Each record's body is a bus event, parsed as `busConsumer` parses one; the use case takes the
 * whole batch at once (one read for all, where each event alone would cost its own) and says
 * which records failed. Those, and any record that does not parse, are answered as the batch's
 * item failures: SQS gives them again (then to the dead-letter queue), and the rest is done. A
 * use case that throws fails the whole batch.
 */
export function queueConsumer<const Events extends readonly BusEvent[]>(
  events: Events,
  handle: (batch: Queued<MessageOf<Events[number]>>[]) => Promise<readonly QueuedFailure[]>,
) {
  const parse = messageParser(events);
  const messageOf = (body: string) => parse(queuedEnvelopeSchema.parse(JSON.parse(body)));
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    withInvocation({ records: event.Records.length }, context, async () => {
      const started = Date.now();
      const failures: QueuedFailure[] = [];
      const batch: Queued<MessageOf<Events[number]>>[] = [];
      for (const record of event.Records) {
        try {
          batch.push({ id: record.messageId, message: messageOf(record.body) });
        } catch (error) {
          failures.push({ id: record.messageId, error });
        }
      }
      try {
        failures.push(...(await handle(batch)));
      } catch (error) {
        log().error("batch failed", { error: errorFields(error), durationMs: Date.now() - started });
        count("QueueBatchFailed");
        throw error;
      }
      for (const { id, error } of failures)
        log().error("record failed", { messageId: id, error: errorFields(error) });
      log().info("batch done", {
        outcome: { records: event.Records.length, failed: failures.length },
        durationMs: Date.now() - started,
      });
      count("QueueBatchSucceeded");
      if (failures.length > 0) count("QueueRecordsFailed");
      return { batchItemFailures: failures.map(({ id }) => ({ itemIdentifier: id })) };
    });
}

/** The Lambda handler of a scheduled task (an EventBridge schedule rule): the same wrapper, no detail. */
export function scheduledTask(handle: (step: Step) => Promise<unknown>) {
  return (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> =>
    runStep(event, context, {}, handle);
}

/**
 * The Lambda handler of a table stream's consumer (a DynamoDB event source mapping, locally the
 * runtime's reader of DynamoDB Local's stream): the same wrapper, given the batch's records. A
 * failure fails the batch, which the stream retries.
 */
export function streamConsumer(handle: (records: readonly unknown[]) => Promise<unknown>) {
  return (event: { Records: readonly unknown[] }, context: Context): Promise<void> =>
    withInvocation({ records: event.Records.length }, context, async () => {
      const started = Date.now();
      try {
        const outcome = await handle(event.Records);
        log().info("batch done", { outcome: summaryOf(outcome), durationMs: Date.now() - started });
        count("StreamBatchSucceeded");
      } catch (error) {
        log().error("batch failed", { error: errorFields(error), durationMs: Date.now() - started });
        count("StreamBatchFailed");
        throw error;
      }
    });
}
