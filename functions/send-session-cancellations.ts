import { busConsumer } from "#shared/bus/consumer";
import { sessionCancelled } from "#shared/bus/events/session-cancelled";
import { sendSessionCancellations } from "#shared/events/send-session-cancellations";

/** Tells a cancelled session's registrants, each once, page by page. */
export const handler = busConsumer([sessionCancelled], ({ detail }, step) =>
  sendSessionCancellations(detail, step),
);
