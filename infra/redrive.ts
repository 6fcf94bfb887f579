/**
 * Redriving a dead letter: the failed target gets the original event again, and only that target.
 * The redrive is an event on Convene's bus from this source whose detail-type names the target
 * (the function's name in the wiring list) and whose detail is the original event; one rule per
 * target (the stack's, the local bus's) hands the detail to it, as EventBridge first delivered
 * it. Re-publishing the original event instead would reach every rule it matches (a duplicate for
 * consumers that did their part) and cannot carry AWS's own sources (`aws.ses`, `aws.events`).
 */
export const redriveSource = "convene.redrive";

/** The `PutEvents` entry that redrives `event` to the target named `target`. */
export const redriveEntry = (busName: string, target: string, event: unknown) => ({
  EventBusName: busName,
  Source: redriveSource,
  DetailType: target,
  Detail: JSON.stringify(event),
});
