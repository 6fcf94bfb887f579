import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import type { EventSettings, WebinarEvent } from "../domain/event.ts";
import { NotFoundError } from "../http/errors.ts";

type EventItem = { data: EventSettings; createdAt: string; updatedAt: string };

const toEvent = (id: string, item: EventItem): WebinarEvent => ({
  id,
  ...item.data,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
});

export async function findEvent(id: string): Promise<WebinarEvent | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.event(id) }));
  return Item ? toEvent(id, Item as EventItem) : undefined;
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
  const createdAt = (previous?.createdAt as string | undefined) ?? now.toISOString();
  return {
    event: toEvent(id, { data: settings, createdAt, updatedAt: now.toISOString() }),
    created: previous === undefined,
  };
}
