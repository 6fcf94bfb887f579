import type { Context, EventBridgeEvent } from "aws-lambda";
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
 * then dead-lettered, never half-handled), and calls one use case. The place where logging,
 * metrics and correlation ids are set for every step.
 */
export function busConsumer<const Events extends readonly BusEvent[]>(
  events: Events,
  handle: (message: MessageOf<Events[number]>, step: Step) => Promise<unknown>,
) {
  const definitions = new Map<string, BusEvent>(events.map((event) => [event.detailType, event]));
  return async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
    const definition = definitions.get(event["detail-type"]);
    if (!definition) throw new Error(`this consumer does not take "${event["detail-type"]}" events`);
    const message = { detailType: definition.detailType, detail: definition.schema.parse(event.detail) };
    await handle(message as MessageOf<Events[number]>, stepOf(event.id, context));
  };
}

/** The Lambda handler of a scheduled task (an EventBridge schedule rule): the same wrapper, no detail. */
export function scheduledTask(handle: (step: Step) => Promise<unknown>) {
  return async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> => {
    await handle(stepOf(event.id, context));
  };
}
