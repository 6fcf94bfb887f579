import * as z from "zod";
import { languageSchema, localizedTextSchema } from "../domain/languages.ts";
import { linksSchema, segmentSchema } from "./content/segment.ts";

export const mailingStatuses = ["draft", "sending", "sent", "cancelled"] as const;
export type MailingStatus = (typeof mailingStatuses)[number];

/**
 * A mailing as stored: its settings (validated with `mailingInputSchema` when the organiser saved
 * them), its status and its counts. The store parses every item it reads with this schema.
 */
export const mailingSchema = z.object({
  mailingId: z.string(),
  eventId: z.string(),
  name: z.string(),
  segment: segmentSchema,
  subject: localizedTextSchema,
  body: z.partialRecord(languageSchema, z.string()),
  links: linksSchema.optional(),
  status: z.enum(mailingStatuses),
  /** Counted when the draft is made, then fixed when sending starts (the list mailed). */
  recipients: z.number().int(),
  sent: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Pages of recipients written when sending started; the next page a batch may hand on. */
  pages: z.number().int().optional(),
  nextPage: z.number().int().optional(),
});
export type Mailing = z.infer<typeof mailingSchema>;

/** Who a mailing goes to: what its text needs of each registrant, fixed when sending starts. */
export const recipientSchema = z.object({
  registrationId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  organisation: z.string(),
  language: languageSchema,
  sessionId: z.string(),
});
export type Recipient = z.infer<typeof recipientSchema>;

/** What organisers see of a mailing: its settings, status and counts (internal chain state left out). */
export function mailingView({ pages: _pages, nextPage: _nextPage, ...mailing }: Mailing) {
  return mailing;
}
