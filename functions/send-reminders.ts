import { busConsumer } from "#shared/bus/consumer";
import { reminderDue } from "#shared/bus/events/reminder-due";
import { sendReminderStep } from "#shared/reminders/send-reminder";

/**
 * On `reminder.due`: mails the session's confirmed registrants, for as long as the invocation has
 * time; the rest is handed on to the next step through the bus.
 */
export const handler = busConsumer([reminderDue], ({ detail }, step) => sendReminderStep(detail, step));
