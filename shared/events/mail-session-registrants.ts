import { keys } from "../aws/table.ts";
import { deliverOnce } from "../deliveries/deliver-once.ts";
import type { Registration } from "../domain/registration.ts";
import { sendConcurrency, sendRawMail } from "../mail/mailer.ts";
import { runPool } from "../pool.ts";
import { type Cursor, listSessionRegistrations } from "../registrations/registration-store.ts";
import { suppressionsOf } from "../suppression/suppression-store.ts";

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
  /** Publishes the step's message again with `cursor`, to carry on from there. */
  handOn: (cursor: Cursor) => Promise<void>;
  /** Checked before each page: false stops the step (a newer change does the mailing). */
  stillCurrent?: () => Promise<boolean>;
  timeLeftMs: () => number;
  /** Below this much time left, the step hands on instead of reading another page (20 s). */
  handOverMarginMs?: number;
  pageSize?: number;
}

/**
 * One step of mailing a session's registrants, as the reminders do: pages through the session's
 * registrations (a Query on gsi1 from the cursor), claims each delivery before sending
 * (`deliverOnce`: a duplicated event, a retried step or a request sent again mails nobody twice;
 * suppressed addresses get nothing), and hands on with a cursor when time runs short. A failed
 * send fails the step after its page, to be retried from the step's cursor: those already mailed
 * find their claims.
 */
export async function mailSessionRegistrants(
  step: SessionMailStep,
): Promise<"finished" | "handed-on" | "superseded"> {
  const concurrency = await sendConcurrency();
  let cursor = step.cursor;
  do {
    if (step.stillCurrent && !(await step.stillCurrent())) return "superseded";
    if (cursor && step.timeLeftMs() < (step.handOverMarginMs ?? 20_000)) {
      await step.handOn(cursor);
      return "handed-on";
    }
    const page = await listSessionRegistrations(step.eventId, step.sessionId, undefined, {
      limit: step.pageSize ?? 250,
      cursor,
    });
    const recipients = page.registrations.filter(step.include);
    const suppressions = await suppressionsOf(recipients.map((registration) => registration.email));
    const { settled } = await runPool(recipients, concurrency, (registration) =>
      deliverOnce(
        {
          key: keys.delivery(registration.registrationId, step.deliveryKind, 1),
          to: registration.email,
          audience: "registrant",
          suppressions,
          expiresAt: step.expiresAt,
        },
        async (sendOptions) => sendRawMail(await step.build(registration), sendOptions),
      ),
    );
    const failures = settled.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length > 0) {
      throw new AggregateError(
        failures,
        `${failures.length} mail(s) could not be sent; the step will be retried`,
      );
    }
    cursor = page.cursor;
  } while (cursor);
  return "finished";
}
