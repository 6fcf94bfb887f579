import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { db, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { NotFoundError } from "../domain/errors.ts";
import { type EventSettings, eventInputSchema, type WebinarEvent } from "../domain/event.ts";

/**
 * An event item: the settings as validated when saved (parsed again with the same schema on read, so
 * an event saved before a setting gained a default reads with that default), and its times.
 */
const eventItemSchema = z.object({ data: eventInputSchema, createdAt: z.string(), updatedAt: z.string() });
type EventItem = z.infer<typeof eventItemSchema>;

const toEvent = (id: string, item: EventItem): WebinarEvent => ({
  id,
  ...item.data,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export async function findEvent(id: string): Promise<WebinarEvent | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.event(id) }));
  return Item ? toEvent(id, eventItemSchema.parse(Item)) : undefined;
}

export async function getEvent(id: string): Promise<WebinarEvent> {
  const event = await findEvent(id);
  if (!event) throw new NotFoundError(`there is no event "${id}"`);
  return event;
}

/**
 * Creates or replaces an event's settings in one write, keeping its creation time, and tells
 * whether it was new (so the API can answer 201 or 200).
 */
export async function saveEvent(
  id: string,
  settings: EventSettings,
  now: Date,
): Promise<{ event: WebinarEvent; created: boolean }> {
  const { Attributes: previous } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.event(id),
      UpdateExpression: "SET #data = :data, createdAt = if_not_exists(createdAt, :now), updatedAt = :now",
      ExpressionAttributeNames: { "#data": "data" },
      ExpressionAttributeValues: { ":data": settings, ":now": now.toISOString() },
      ReturnValues: "ALL_OLD",
    }),
  );
  const createdAt =
    z.object({ createdAt: z.string() }).optional().parse(previous)?.createdAt ?? now.toISOString();
  return {
    event: toEvent(id, { data: settings, createdAt, updatedAt: now.toISOString() }),
    created: previous === undefined,
  };
}
