import * as z from "zod";
import { built } from "../domain/built.ts";

/**
 * Why an address gets less or no mail, weakest first. An unsubscribe is the person's choice about
 * mailings; a bounce says the address cannot receive mail; a complaint says its owner called our
 * mail spam. The two last stop every mail, since sending more would hurt the sender's reputation
 * with SES and the mailbox providers.
 */
export const suppressionReasons = ["unsubscribed", "bounced", "complained"] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export const suppressionSchema = /* @__PURE__ */ built(() =>
  z.object({
    reason: z.enum(suppressionReasons),
    /** When it was recorded (ISO 8601). */
    at: z.string(),
    /** What caused it, for organisers reading the table (e.g. the SES bounce type and message id). */
    detail: z.string().optional(),
  }),
);
export type Suppression = z.infer<typeof suppressionSchema>;

/**
 * Who a mail is for. `registrant`: mails about a registration the person keeps (confirmation,
 * waitlist, promotion, cancellation, reminders), which an unsubscribe does not stop: they asked
 * for them by registering. `mailing`: the organisers' mailings, which an unsubscribe stops.
 */
export type Audience = "registrant" | "mailing";

/** Rank of a reason: a later, weaker reason never replaces a stronger one (see `suppress`). */
export const strengthOf = (reason: SuppressionReason): number => suppressionReasons.indexOf(reason) + 1;

/** Whether a suppression stops a mail for this audience: bounces and complaints stop all mail. */
export function stopsMail(suppression: Suppression | null | undefined, audience: Audience): boolean {
  if (!suppression) return false;
  return suppression.reason !== "unsubscribed" || audience === "mailing";
}
