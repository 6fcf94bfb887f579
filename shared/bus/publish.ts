import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import * as z from "zod";
import { readConfig } from "../config.ts";
import { type BusMessage, eventSource } from "./define-event.ts";

const eventBridge = new EventBridgeClient({});
const { EVENT_BUS_NAME: busName } = readConfig({ EVENT_BUS_NAME: z.string().min(1) });

export class PublishError extends Error {
  override name = "PublishError";
}

/**
 * Puts events on the bus in one `PutEvents` call. EventBridge answers 200 even when some entries
 * were refused, so failed entries are turned into an error: the caller's step then fails and is
 * retried instead of losing the event.
 */
export async function publishEvents(events: BusMessage[]): Promise<void> {
  if (events.length === 0) return;
  const result = await eventBridge.send(
    new PutEventsCommand({
      Entries: events.map((event) => ({
        EventBusName: busName,
        Source: eventSource,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      })),
    }),
  );
  if (result.FailedEntryCount) {
    const reasons = (result.Entries ?? []).flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
    throw new PublishError(`${result.FailedEntryCount} event(s) were not accepted: ${reasons.join(", ")}`);
  }
}
