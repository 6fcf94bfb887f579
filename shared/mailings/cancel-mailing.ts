import { changeStatus, getMailing, type Mailing } from "./mailing-store.ts";

/** Stops a mailing: batches not yet sent send nothing. A sent mailing cannot be cancelled (409). */
export async function cancelMailing(eventId: string, mailingId: string, now = new Date()): Promise<Mailing> {
  await changeStatus({ eventId, mailingId }, ["draft", "sending"], "cancelled", now);
  return getMailing(eventId, mailingId);
}
