import { randomUUID } from "node:crypto";
import { ValidationError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import { getEvent } from "../events/event-store.ts";
import type { MailingSettings } from "./content/mailing-input.ts";
import type { Mailing } from "./mailing.ts";
import {
  deleteDraftItem,
  getMailing,
  listEventMailings,
  saveDraft,
  updateDraftItem,
} from "./mailing-store.ts";
import { resolveRecipients } from "./recipients.ts";

/** Sessions named in a segment must exist: a typo would silently select nobody. */
function checkSessions(event: WebinarEvent, segment: MailingSettings["segment"]): void {
  const unknown = (segment.sessions ?? []).filter(
    (id) => !event.sessions.some((session) => session.id === id),
  );
  if (unknown.length === 0) return;
  const known = event.sessions.map((session) => session.id).join(", ");
  throw new ValidationError([
    { path: "segment.sessions", message: `no session ${unknown.join(", ")} (sessions: ${known})` },
  ]);
}

/** How many registrants a segment selects now (the list is fixed only when a mailing is sent). */
export async function countSegment(eventId: string, segment: MailingSettings["segment"]) {
  const event = await getEvent(eventId);
  checkSessions(event, segment);
  return { recipients: (await resolveRecipients(event, segment)).length };
}

/** Creates a draft mailing and says how many registrants its segment selects now. */
export async function createMailing(eventId: string, input: MailingSettings, now = new Date()) {
  const { recipients } = await countSegment(eventId, input.segment);
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

/**
 * Replaces a draft's settings (name, segment, texts, links): only while it is a draft, checked by
 * the write itself, so an edit racing a send never changes what is being mailed (409 then).
 */
export async function updateDraft(
  eventId: string,
  mailingId: string,
  input: MailingSettings,
  now = new Date(),
) {
  const { recipients } = await countSegment(eventId, input.segment);
  await updateDraftItem({ eventId, mailingId }, { ...input, recipients }, now);
  return { mailingId, recipients };
}

/** Deletes a draft (409 once it is sending, sent or cancelled: those are records of what went out). */
export async function deleteDraft(eventId: string, mailingId: string): Promise<void> {
  await getMailing(eventId, mailingId);
  await deleteDraftItem({ eventId, mailingId });
}

/** The event's mailings, newest first. */
export async function listMailings(eventId: string): Promise<Mailing[]> {
  await getEvent(eventId);
  const mailings = await listEventMailings(eventId);
  return mailings.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
