import { keys } from "../aws/table.ts";
import type { BusMessage } from "../bus/define-event.ts";
import { publishEvents } from "../bus/publish.ts";
import { sendPages } from "../deliveries/send-pages.ts";
import type { Registration } from "../domain/registration.ts";
import { type Cursor, listSessionRegistrations } from "../registrations/registration-store.ts";

export interface SessionMailStep {
  eventId: string;
  sessionId: string;
  /** Where the previous step stopped in the session's registrations. */
  cursor?: Cursor;
  /** Who of the page is mailed (never cancelled registrations, for the mails of this module). */
  include: (registration: Registration) => boolean;
  /** The delivery record's kind: one mail per registrant and kind, whoever sends it and how often. */
  deliveryKind: string;
  /** When the delivery records are deleted by DynamoDB's TTL (`expiresAtOf(event)`). */
  expiresAt: number;
  build: (registration: Registration) => Promise<{ raw: Buffer; to: string }>;
  /** The step's message with `cursor`: published to carry on from there, and carried by the claims. */
  resumeAt: (cursor: Cursor | undefined) => BusMessage;
  /** Checked before each page: false stops the step (a newer change does the mailing). */
  stillCurrent?: () => Promise<boolean>;
  timeLeftMs: () => number;
  /** Below this much time left, the step hands on instead of sending more (20 s). */
  handOverMarginMs?: number;
  pageSize?: number;
}

/**
 * One step of mailing a session's registrants (update and cancellation mails), with the reminders'
 * loop (`sendPages`): claims leased as long as the step can run, sends that stop in time, and a
 * hand-on with a cursor when time runs short. These steps hold no item of their own, so each claim
 * carries the step's message from its page's cursor: if the step dies, the sweeper publishes it
 * again once the claims' lease has expired, and the resumed step takes them over (several expired
 * claims of one page publish it several times; the claims keep that from mailing anyone twice).
 */
export async function mailSessionRegistrants(
  step: SessionMailStep,
): Promise<"finished" | "handed-on" | "superseded"> {
  const result = await sendPages({
    ...(step.cursor && { cursor: step.cursor }),
    readPage: (cursor) =>
      listSessionRegistrations(step.eventId, step.sessionId, undefined, {
        limit: step.pageSize ?? 250,
        cursor,
      }),
    include: step.include,
    deliveryKey: (registration) => keys.delivery(registration.registrationId, step.deliveryKind, 1),
    build: step.build,
    expiresAt: step.expiresAt,
    timeLeftMs: step.timeLeftMs,
    ...(step.handOverMarginMs && { handOverMarginMs: step.handOverMarginMs }),
    resumeAt: step.resumeAt,
    ...(step.stillCurrent && {
      stopBefore: async () => ((await step.stillCurrent?.()) ? undefined : "superseded"),
    }),
  });
  switch (result.outcome) {
    case "finished":
      return "finished";
    case "stopped":
      return "superseded";
    case "hand-on":
      await publishEvents([step.resumeAt(result.cursor)]);
      return "handed-on";
  }
}
