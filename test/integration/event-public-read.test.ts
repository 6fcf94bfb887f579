import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { eventInputSchema } from "../../shared/domain/event.ts";
import {
  deleteItems,
  findEvent,
  getEventForPublic,
  publicReadMaxAgeMs,
  saveEvent,
} from "../../shared/events/event-store.ts";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";

const settings = () => eventInputSchema.parse(sampleEvent());

/** Changes the stored event behind the store's back, as another container's PUT would. */
async function retitleElsewhere(id: string, title: string) {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.event(id) }));
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...Item, data: { ...Item?.data, title: { ...Item?.data?.title, en: title } } },
    }),
  );
}

describe("the public path's read of an event", () => {
  it("reuses a read for a few seconds, then reads again", async () => {
    const id = uniqueId("public-read");
    await saveEvent(id, settings(), new Date());
    const start = Date.now();
    await getEventForPublic(id, start);

    await retitleElsewhere(id, "Changed in another container");

    expect((await getEventForPublic(id, start + publicReadMaxAgeMs - 1)).title.en).not.toBe(
      "Changed in another container",
    );
    expect((await getEventForPublic(id, start + publicReadMaxAgeMs)).title.en).toBe(
      "Changed in another container",
    );
  });

  it("sees an edit or a deletion made in the same process at once", async () => {
    const id = uniqueId("public-read-edit");
    await saveEvent(id, settings(), new Date());
    const now = Date.now();
    await getEventForPublic(id, now);

    await saveEvent(
      id,
      { ...settings(), title: { fr: "Modifié ici", en: "Edited here" } },
      new Date(),
      await findEvent(id, true),
    );
    expect((await getEventForPublic(id, now)).title.en).toBe("Edited here");

    await deleteItems([keys.event(id)]);
    await expect(getEventForPublic(id, now)).rejects.toThrow(/no event/);
  });
});
