import { streamConsumer } from "#shared/bus/consumer";
import { relayOutboxRecords } from "#shared/bus/outbox-relay";

/** The outbox relay: the table's stream shows each outbox item written; its message goes to the bus. */
export const handler = streamConsumer(relayOutboxRecords);
