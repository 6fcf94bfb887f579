import { busConsumer } from "#shared/bus/consumer";
import { retentionChanged } from "#shared/bus/events/retention-changed";
import { syncRetention } from "#shared/privacy/sync-retention";

/** On `event.retention-changed`: every item about the event's registrants gets the new `expiresAt`. */
export const handler = busConsumer([retentionChanged], ({ detail }, step) => syncRetention(detail, step));
