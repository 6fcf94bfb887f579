import * as z from "zod";
import { busMessageSchema } from "./define-event.ts";
import { deleteOutboxItem } from "./outbox.ts";
import { publishEvents } from "./publish.ts";

/**
 * An outbox item as the table's stream shows it when it is written (`INSERT`, new image): its key
 * and its message as a JSON string, read as is (DynamoDB's typed JSON of a nested map would need
 * unmarshalling; a string is the same on AWS, in DynamoDB Local's stream and in the sweeper).
 */
const outboxRecordSchema = z.object({
  dynamodb: z.object({
    NewImage: z.object({
      pk: z.object({ S: z.string() }),
      sk: z.object({ S: z.string() }),
      message: z.object({ S: z.string() }),
    }),
  }),
});

/** `PutEvents` takes at most 10 entries. */
const entriesPerCall = 10;

/**
 * The outbox relay: publishes the messages of the outbox items the table's stream shows, then
 * deletes those items. The stream's filter (`outboxRecords` in the wiring list) passes only
 * outbox inserts. It runs as a stream-triggered function on AWS, and locally on the records the
 * runtime reads from DynamoDB Local's own stream: the same code, the same records. If the bus
 * refuses, the batch fails and the stream retries it; an item whose batch the stream gave up on
 * is still in the table, and the sweeper relays it (`shared/bus/outbox.ts`). A message may so be
 * published twice (published, then the delete failed or the batch was retried): its consumers
 * are idempotent. Returns how many messages were published.
 */
export async function relayOutboxRecords(records: readonly unknown[]): Promise<number> {
  const items = records.map((record) => {
    const image = outboxRecordSchema.parse(record).dynamodb.NewImage;
    return {
      key: { pk: image.pk.S, sk: image.sk.S },
      message: busMessageSchema.parse(JSON.parse(image.message.S)),
    };
  });
  for (let start = 0; start < items.length; start += entriesPerCall) {
    const chunk = items.slice(start, start + entriesPerCall);
    await publishEvents(chunk.map((item) => item.message));
    await Promise.all(chunk.map((item) => deleteOutboxItem(item.key)));
  }
  return items.length;
}
