import { randomUUID } from "node:crypto";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import {
  emailBounced,
  emailComplaintReceived,
  sesEventSource,
} from "../../shared/bus/events/ses-feedback.ts";
import type { SentMessage } from "./ses-server.ts";

/**
 * The SES mailbox simulator's bounce and complaint addresses, with SES's optional `+label`
 * (`bounce+test-42@simulator.amazonses.com`), so that tests sharing one stack use addresses of
 * their own.
 */
const simulatorAddress = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

const account = "000000000000";

/**
 * What SES publishes, through a configuration set's EventBridge destination, for a message sent to
 * the simulator: a permanent bounce for `bounce@…`, an abuse complaint for `complaint@…`, one
 * entry per such recipient, for the default bus, in SES's shape (`source` aws.ses, detail-types
 * `Email Bounced` / `Email Complaint Received`). As on SES, only a message sent with a
 * configuration set has events. Other recipients are delivered and have none.
 */
export function simulatedFeedback(message: SentMessage, now = new Date()): PutEventsRequestEntry[] {
  if (!message.configurationSet) return [];
  const timestamp = now.toISOString();
  const mail = {
    timestamp,
    source: message.source ?? "",
    sendingAccountId: account,
    messageId: message.messageId,
    destination: message.destinations,
    headersTruncated: false,
    tags: { "ses:configuration-set": [message.configurationSet] },
  };
  return message.destinations.flatMap((recipient): PutEventsRequestEntry[] => {
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
      {
        EventBusName: "default",
        Source: sesEventSource,
        DetailType: kind === "bounce" ? emailBounced.detailType : emailComplaintReceived.detailType,
        Detail: JSON.stringify(detail),
        Resources: [`arn:aws:ses:local:${account}:configuration-set/${message.configurationSet}`],
      },
    ];
  });
}

export interface MailboxSimulator {
  /** The local SES's `onSent` hook. */
  onSent(message: SentMessage): void;
  /** Waits for the events still being published, then lets the client go. */
  close(): Promise<void>;
}

/**
 * Answers the simulator addresses as SES does: after the message is accepted (the hook returns at
 * once, so the send's answer is not held up), the feedback is put on the local bus's default bus
 * with the SDK's own EventBridge client, where the wiring's `record-feedback` rule picks it up.
 */
export function mailboxSimulator(options: { busUrl: string; log: (line: string) => void }): MailboxSimulator {
  const client = new EventBridgeClient({
    endpoint: options.busUrl,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const pending = new Set<Promise<void>>();

  const publish = async (entries: PutEventsRequestEntry[]) => {
    try {
      const result = await client.send(new PutEventsCommand({ Entries: entries }));
      if (result.FailedEntryCount) throw new Error(`${result.FailedEntryCount} event(s) refused`);
    } catch (error) {
      options.log(`[ses] mailbox simulator: could not publish feedback: ${String(error)}`);
    }
  };

  return {
    onSent(message) {
      const entries = simulatedFeedback(message);
      if (entries.length === 0) return;
      const publishing = publish(entries).finally(() => pending.delete(publishing));
      pending.add(publishing);
    },
    async close() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      client.destroy();
    },
  };
}
