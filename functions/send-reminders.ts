import type { Context, EventBridgeEvent } from "aws-lambda";
import { reminderDue } from "#shared/bus/events/reminder-due";
import { sendReminderStep } from "#shared/reminders/send-reminder";

/**
 * On `reminder.due`: mails the session's confirmed registrants, for as long as the invocation has
 * time; the rest is handed on to the next step through the bus.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context) => {
  const detail = reminderDue.schema.parse(event.detail);
  await sendReminderStep(detail, { timeLeftMs: () => context.getRemainingTimeInMillis() });
};
