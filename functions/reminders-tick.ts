import { scheduledTask } from "#shared/bus/consumer";
import { fireDueReminders } from "#shared/reminders/fire-due-reminders";

/** Every minute: fires the reminders that are due, each once, by publishing `reminder.due`. */
export const handler = scheduledTask(() => fireDueReminders(new Date()));
