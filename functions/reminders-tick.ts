import { fireDueReminders } from "#shared/reminders/fire-due-reminders";

/** Every minute: fires the reminders that are due, each once, by publishing `reminder.due`. */
export const handler = async () => {
  const counts = await fireDueReminders(new Date());
  if (counts.fired + counts.skipped > 0)
    console.log(JSON.stringify({ message: "reminders fired", ...counts }));
};
