import { scheduledTask } from "#shared/bus/consumer";
import { resumeStoppedSteps } from "#shared/deliveries/resume-stopped-steps";
import { fireDueReminders } from "#shared/reminders/fire-due-reminders";

/**
 * Every minute: fires the reminders that are due, each once, by publishing `reminder.due`; and,
 * as the sweeper, publishes again the steps of mailings, reminders and registration mails whose
 * lease expired (their process died, or their next step was lost), so they finish by themselves.
 * One failing does not keep the other from running; the tick then fails, to be seen and retried.
 */
export const handler = scheduledTask(async () => {
  const now = new Date();
  const results = await Promise.allSettled([fireDueReminders(now), resumeStoppedSteps(now)]);
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
  if (failures.length > 0) throw new AggregateError(failures, "the minute tick did not complete");
});
