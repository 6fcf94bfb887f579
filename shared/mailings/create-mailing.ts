import { randomUUID } from "node:crypto";
import { ValidationError } from "../domain/errors.ts";
import { getEvent } from "../events/event-store.ts";
import type { MailingSettings } from "./content/mailing-input.ts";
import { type Mailing, saveDraft } from "./mailing-store.ts";
import { resolveRecipients } from "./recipients.ts";

/**
 * Creates a draft mailing and says how many registrants its segment selects now (the list is
 * fixed only when it is sent). Sessions named in the segment must exist.
 */
export async function createMailing(eventId: string, input: MailingSettings, now = new Date()) {
  const event = await getEvent(eventId);
  const unknown = (input.segment.sessions ?? []).filter(
    (id) => !event.sessions.some((session) => session.id === id),
  );
  if (unknown.length > 0) {
    const known = event.sessions.map((session) => session.id).join(", ");
    throw new ValidationError([
      { path: "segment.sessions", message: `no session ${unknown.join(", ")} (sessions: ${known})` },
    ]);
  }
  const recipients = (await resolveRecipients(event, input.segment)).length;
  const mailing: Mailing = {
    ...input,
    mailingId: randomUUID(),
    eventId,
    status: "draft",
    recipients,
    sent: 0,
    skipped: 0,
    failed: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await saveDraft(mailing);
  return { mailingId: mailing.mailingId, recipients };
}
