import { message } from "../bus/define-event.ts";
import { mailingRequested } from "../bus/events/mailing-requested.ts";
import { publishEvents } from "../bus/publish.ts";
import { changeStatus, getMailing, type Mailing } from "./mailing-store.ts";

/** Starts sending a draft: once only (409 the second time); the rest happens on the bus. */
export async function sendMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  await changeStatus({ eventId, mailingId }, ["draft"], "sending", now);
  try {
    await publishEvents([message(mailingRequested, { eventId, mailingId })]);
  } catch (error) {
    // Nothing will send it: back to draft, so that the organiser can simply send again.
    await changeStatus({ eventId, mailingId }, ["sending"], "draft", now);
    throw error;
  }
  return getMailing(eventId, mailingId);
}
