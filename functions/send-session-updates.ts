import { busConsumer } from "#shared/bus/consumer";
import { sessionChanged } from "#shared/bus/events/session-changed";
import { sendSessionUpdates } from "#shared/events/send-session-updates";

/** Tells a changed session's registrants what changed, each once per change, page by page. */
export const handler = busConsumer([sessionChanged], ({ detail }, step) => sendSessionUpdates(detail, step));
