import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { RateLimitCharge } from "../abuse/rate-limits.ts";
import { message } from "../bus/define-event.ts";
import { confirmationRequested } from "../bus/events/confirmation-requested.ts";
import { registrationCreated } from "../bus/events/registration-created.ts";
import { ConflictError, RateLimitedError } from "../domain/errors.ts";
import { noticeFactsOf, type WebinarEvent } from "../domain/event.ts";
import {
  privacyNoticeVersion,
  type Registration,
  type ValidRegistrationInput,
} from "../domain/registration.ts";
import { assertRegistrationOpen } from "../domain/registration-form.ts";
import { eventAsRead, getEventForPublic } from "../events/event-store.ts";
import { expiresAtOf } from "../privacy/retention.ts";
import { openSession } from "./open-session.ts";
import {
  createRegistration,
  findRegistrationByEmail,
  newRegistrationTransaction,
  requestConfirmationResend,
} from "./registration-store.ts";

/** A registrant who registers again gets their confirmation again, but not more often than this. */
export const confirmationResendGapMs = 10 * 60 * 1000;

export type RegisterResult =
  | { outcome: "created"; registration: Registration; event: WebinarEvent }
  | { outcome: "already-registered"; registration: Registration; event: WebinarEvent };

/** What a registration request adds to its transaction besides the registration itself. */
export interface RegisterOptions {
  now?: Date;
  /** The request's hits on its rate limits: none when absent (organiser tools, tests). */
  rateLimit?: RateLimitCharge;
}

const noRateLimit: RateLimitCharge = {
  items: [],
  refusal: () => new RateLimitedError(1),
  countAlone: async () => {},
};

/**
 * An organiser saved the event this often while one registration was being written: give up (409
 * `event-changing`). Saves come in bursts (a console's saves in a row, a script's PUTs), so each
 * new read waits a random moment first, up to 100 ms more at each try, to let a burst pass.
 */
const maxEventReads = 5;

/**
 * Registers someone for a session.
 * 1. The event (read at most once per 5 s by a warm container) and session must exist, and the
 *    session must not have started.
 * 2. One transaction stores the registration as confirmed, or waitlisted when the session is full,
 *    with `registration.created` in the outbox (its consumer sends the confirmation or waitlist
 *    mail), the request's rate-limit counters (a limit reached cancels it: 429), and a check that
 *    the event item is still the one read. That is the whole request: one round trip to DynamoDB
 *    in a warm container; the outbox is relayed to the bus from the table's stream, so a bus that
 *    refuses `PutEvents` delays the mail and never fails the registration.
 * 3. If an organiser saved the event since it was read, the transaction wrote nothing: the event
 *    is read again and the steps repeated. So the capacity in the counter's condition and the
 *    start and closing times checked are always the event's current ones, cache or not.
 * The same email again (any letter case) stores nothing and re-sends its owner the mail about
 * their registration (the confirmation, or the news of their session's cancellation with the way
 * to another), at most once per ten minutes; its rate-limit hits are then counted on their own.
 * The caller learns nothing more than "already registered".
 */
export async function register(
  eventId: string,
  input: ValidRegistrationInput,
  { now = new Date(), rateLimit = noRateLimit }: RegisterOptions = {},
): Promise<RegisterResult> {
  const registrationId = randomUUID();
  let event = await getEventForPublic(eventId);
  let limitItems = rateLimit.items;
  for (let eventReads = 1; ; ) {
    const { registration, capacity, announce } = draftRegistration(event, input, registrationId, now);
    const guards = [eventAsRead(event), ...limitItems];
    const created = await createRegistration(registration, capacity, now, announce, guards);
    if (created.outcome === "created") {
      return { outcome: "created", registration: { ...registration, status: created.status }, event };
    }
    if (created.outcome === "guard-failed") {
      if (created.guard > 0) throw rateLimit.refusal();
      if (++eventReads > maxEventReads) {
        throw new ConflictError("event-changing", "the event is being changed; please try again");
      }
      await sleep(Math.random() * 100 * (eventReads - 1));
      event = await getEventForPublic(eventId, Date.now(), 0);
      assertRegistrationOpen(event, now);
      continue;
    }
    // Already registered: no transaction was written, so the request is counted on its own.
    if (limitItems.length > 0) {
      await rateLimit.countAlone();
      limitItems = [];
    }
    const existing = await findRegistrationByEmail(eventId, input.email);
    if (existing) {
      // Anyone may post any address: nothing changes but a mail to its owner. If the organisers
      // cancelled their session, that mail is the cancellation's news again with the link to
      // their own page, where they switch (`sendRegistrationMail`), never a move made here.
      await resendConfirmation(existing, now);
      return { outcome: "already-registered", registration: existing, event };
    }
    // Cancelled between the two reads: the email is free again, so register it.
  }
}

/** The registration `register` stores for `input` in `event`, its session's capacity, and its announcement. */
function draftRegistration(
  event: WebinarEvent,
  input: ValidRegistrationInput,
  registrationId: string,
  now: Date,
) {
  const { language, consent: _consent, ...fields } = input;
  const session = openSession(event, input.sessionId, now);
  const registrationLanguage = language ?? session.language;
  const registration: Omit<Registration, "status"> = {
    ...fields,
    registrationId,
    eventId: event.id,
    language: registrationLanguage,
    consent: {
      acceptedAt: now.toISOString(),
      noticeVersion: privacyNoticeVersion,
      facts: noticeFactsOf(event, registrationLanguage),
    },
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    confirmationNumber: 1,
    expiresAt: expiresAtOf(event),
  };
  const announce = (status: Registration["status"]) =>
    message(registrationCreated, { eventId: event.id, registrationId, sessionId: session.id, status });
  return { registration, capacity: session.capacity, announce };
}

/**
 * The transaction `register` writes for a new registration of `input` in `event` (when a seat is
 * free), with the same items, shapes and conditions, for sending it bare: it is what
 * `scripts/measure-registration.ts` compares the request path with.
 */
export function newRegistrationItems(
  event: WebinarEvent,
  input: ValidRegistrationInput,
  rateLimit: RateLimitCharge = noRateLimit,
  now = new Date(),
) {
  const { registration, capacity, announce } = draftRegistration(event, input, randomUUID(), now);
  const guards = [eventAsRead(event), ...rateLimit.items];
  return newRegistrationTransaction(registration, capacity, now, announce, guards).confirmed;
}

async function resendConfirmation(registration: Registration, now: Date) {
  await requestConfirmationResend(registration, now, confirmationResendGapMs, (number) =>
    message(confirmationRequested, {
      eventId: registration.eventId,
      registrationId: registration.registrationId,
      confirmationNumber: number,
    }),
  );
}
