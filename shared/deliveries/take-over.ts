import * as z from "zod";

/**
 * The take-over rule of a delivery claim whose sender died, apart from any AWS client (the rule
 * alone is unit-tested; `claimDelivery` writes the same rule as its condition).
 */
/** What the take-over rule reads of a `sending` delivery claim. */
export const sendingClaimSchema = z.object({
  state: z.literal("sending"),
  leaseUntil: z.string().optional(),
  leaseEpoch: z.number().optional(),
  /** Set by a sender that released its claim knowing nothing went out (see `releaseDelivery`). */
  unsent: z.boolean().optional(),
});
export type SendingClaim = z.infer<typeof sendingClaimSchema>;

/**
 * When a `sending` delivery claim's lease ended (`leaseEnded`: a lease of an earlier run of the
 * local runtime, of an older `epoch`, ended when this run started), and when the claim may be
 * taken over (`takeOverAt`): then if its sender released it knowing that nothing went out
 * (`unsent`), else `graceMs` later, so that SES's send event of a mail that did go out records it
 * first.
 */
export function claimTimes(
  claim: SendingClaim,
  options: { graceMs: number; epoch: number },
): { leaseEnded: Date; takeOverAt: Date } {
  const until = claim.leaseUntil === undefined ? 0 : Date.parse(claim.leaseUntil);
  const ended =
    options.epoch > 0 && claim.leaseEpoch !== undefined && claim.leaseEpoch < options.epoch
      ? Math.min(until, options.epoch)
      : until;
  return {
    leaseEnded: new Date(ended),
    takeOverAt: new Date(claim.unsent ? ended : ended + options.graceMs),
  };
}
