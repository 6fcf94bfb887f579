import { readAttendance } from "../attendance/attendance-store.ts";
import { registrationDeliveries } from "../deliveries/delivery-store.ts";
import { normalizeEmail, type Registration } from "../domain/registration.ts";
import { findEvent } from "../events/event-store.ts";
import { listEventMailings } from "../mailings/mailing-store.ts";
import { suppressionOf } from "../suppression/suppression-store.ts";
import { mailingDeliveryOf } from "./privacy-store.ts";

/**
 * Everything stored about a registrant, for their right of access ("download my data"): the
 * registration as recorded (consent included), the mails sent about it, the organisers' mailings
 * sent to them, what attendance reports say of them, and whether their address is on the
 * suppression list. Read with Gets and Queries on the event's items, never a Scan.
 */
export async function personalData(registration: Registration, now = new Date()) {
  const { registrationId, eventId } = registration;
  const address = normalizeEmail(registration.email);
  const event = await findEvent(eventId);
  const mailings = await Promise.all(
    (await listEventMailings(eventId)).map(async (mailing) => {
      const delivery = await mailingDeliveryOf(mailing.mailingId, registrationId);
      return (
        delivery && {
          mailing: mailing.name,
          state: delivery.state,
          at: delivery.sentAt ?? delivery.claimedAt,
        }
      );
    }),
  );
  const attendance = await Promise.all(
    (event?.sessions ?? []).map(async (session) =>
      (await readAttendance(eventId, session.id))
        .filter((record) => record.registrationId === registrationId || record.email === address)
        .map((record) => ({ sessionId: session.id, ...record })),
    ),
  );
  const suppression = await suppressionOf(address);
  return {
    exportedAt: now.toISOString(),
    registration,
    deliveries: await registrationDeliveries(registrationId),
    mailings: mailings.filter((entry) => entry !== undefined),
    attendance: attendance.flat(),
    suppression: suppression ?? null,
  };
}
