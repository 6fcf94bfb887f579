import { randomUUID } from "node:crypto";
import {
  emailBounced,
  emailComplaintReceived,
  emailSent,
  sesEventSource,
} from "../../shared/bus/events/ses-feedback.ts";
import type { LocalEventBus, PutEventsEntry } from "./event-bus.ts";
import type { SentRecord } from "./ses-server.ts";

/**
 * The SES mailbox simulator's bounce and complaint addresses, with SES's optional `+label`
 * (`bounce+test-42@simulator.amazonses.com`), so that tests sharing one stack use addresses of
 * their own.
 */
const simulatorAddress = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

const account = "000000000000";

/** What an event says of the message: SES's fields it has (the local SES has no headers to give). */
type EventSubject = Pick<SentRecord, "messageId" | "destinations"> &
  Partial<Pick<SentRecord, "source" | "configurationSet" | "tags" | "timestamp">>;

/** The event's `mail`, in SES's shape: tags as `{ name: [value] }`, the configuration set's among them. */
function mailOf(message: EventSubject & { configurationSet: string }, now: Date) {
  const tags: Record<string, string[]> = { "ses:configuration-set": [message.configurationSet] };
  for (const { name, value } of message.tags ?? []) tags[name] = [value];
  return {
    timestamp: message.timestamp ?? now.toISOString(),
    source: message.source ?? "",
    sourceArn: `arn:aws:ses:local:${account}:identity/${message.source?.split("@")[1] ?? ""}`,
    sendingAccountId: account,
    messageId: message.messageId,
    destination: message.destinations,
    headersTruncated: false,
    tags,
  };
}

const entry = (configurationSet: string, detailType: string, detail: unknown): PutEventsEntry => ({
  EventBusName: "default",
  Source: sesEventSource,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  Resources: [`arn:aws:ses:local:${account}:configuration-set/${configurationSet}`],
});

/**
 * The `Email Sent` event SES publishes (event type `Send`) through a configuration set's
 * EventBridge destination for every message it accepted, with the message's tags. As on SES,
 * only a message sent with a configuration set has events.
 */
export function sendEvent(message: EventSubject, now = new Date()): PutEventsEntry[] {
  const { configurationSet } = message;
  if (!configurationSet) return [];
  return [
    entry(configurationSet, emailSent.detailType, {
      eventType: "Send",
      mail: mailOf({ ...message, configurationSet }, now),
      send: {},
    }),
  ];
}

/**
 * What SES publishes, through a configuration set's EventBridge destination, for a message sent to
 * the simulator: a permanent bounce for `bounce@…`, an abuse complaint for `complaint@…`, one
 * entry per such recipient, for the default bus, in SES's shape (`source` aws.ses, detail-types
 * `Email Bounced` / `Email Complaint Received`). As on SES, only a message sent with a
 * configuration set has events. Other recipients are delivered and have none.
 */
export function simulatedFeedback(message: EventSubject, now = new Date()): PutEventsEntry[] {
  const { configurationSet } = message;
  if (!configurationSet) return [];
  const timestamp = now.toISOString();
  const mail = mailOf({ ...message, configurationSet }, now);
  return message.destinations.flatMap((recipient): PutEventsEntry[] => {
    const kind = simulatorAddress.exec(recipient)?.[1]?.toLowerCase();
    if (kind === undefined) return [];
    const detail =
      kind === "bounce"
        ? {
            eventType: "Bounce",
            bounce: {
              feedbackId: randomUUID(),
              bounceType: "Permanent",
              bounceSubType: "General",
              bouncedRecipients: [
                {
                  emailAddress: recipient,
                  action: "failed",
                  status: "5.1.1",
                  diagnosticCode: "smtp; 550 5.1.1 user unknown",
                },
              ],
              timestamp,
              reportingMTA: "dns; simulator.amazonses.com",
            },
            mail,
          }
        : {
            eventType: "Complaint",
            complaint: {
              feedbackId: randomUUID(),
              complainedRecipients: [{ emailAddress: recipient }],
              timestamp,
              userAgent: "Amazon SES Mailbox Simulator",
              complaintFeedbackType: "abuse",
              arrivalDate: timestamp,
            },
            mail,
          };
    return [
      entry(
        configurationSet,
        kind === "bounce" ? emailBounced.detailType : emailComplaintReceived.detailType,
        detail,
      ),
    ];
  });
}

export interface SesEventPublisher {
  /**
   * The local SES's `publishEvents`: resolves once the bus has delivered them all (the targets
   * handled them, or they became dead letters); throws if the bus refused them or a stop left them
   * undelivered. SES keeps its record of the message until then, so the bus keeps no journal
   * entry of its own for them: one file written and removed per mail, not two.
   */
  publish(message: SentRecord): Promise<void>;
}

/**
 * SES's event publishing, to the local bus's default bus, where the wiring's `record-feedback`
 * rule picks them up: every message's `Email Sent`, and the mailbox simulator's bounces and
 * complaints. The local SES calls it after its answer (see `publishEventsAfterMs` in
 * `ses-server.ts`) and keeps what it could not publish. Put in process (`LocalEventBus.putEvents`),
 * as SES's destination reaches EventBridge on AWS without the public API: the same checks, routing
 * and test switch as `PutEvents`, without an SDK call and an HTTP request per mail.
 */
export function sesEventPublisher(bus: Pick<LocalEventBus, "putEvents">): SesEventPublisher {
  return {
    async publish(message) {
      const entries = [...sendEvent(message), ...simulatedFeedback(message)];
      if (entries.length === 0) return;
      const result = bus.putEvents(entries, { journaled: false });
      if (result.FailedEntryCount) throw new Error(`${result.FailedEntryCount} event(s) refused`);
      if (!(await result.delivered)) throw new Error("the bus stopped before delivering them");
    },
  };
}
