import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { readList, writeList } from "../../shared/privacy/privacy-store.ts";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();

interface EventView {
  updatedAt: string;
  title: { en?: string };
  sessions: { id: string; cancelledAt?: string }[];
}

const readEvent = async (id: string) =>
  (await request("GET", `/admin/events/${id}`, { admin: true })).json as EventView;
const cancelledOf = (event: EventView) =>
  Object.fromEntries(event.sessions.map((session) => [session.id, Boolean(session.cancelledAt)]));

describe("writes that no concurrent write undoes", () => {
  it("keeps both of two cancellations made at once", async () => {
    const id = uniqueId("two-cancels");
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });

    const answers = await Promise.all(
      ["fr", "en"].map((sessionId) =>
        request("POST", `/admin/events/${id}/sessions/${sessionId}/cancel`, { admin: true }),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(cancelledOf(await readEvent(id))).toEqual({ fr: true, en: true });
  });

  it("answers 409 to a PUT whose If-Match is an older version, and keeps a cancellation under a PUT without one", async () => {
    const id = uniqueId("stale-put");
    const created = await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
    const readBefore = (created.json as EventView).updatedAt;
    await request("POST", `/admin/events/${id}/sessions/fr/cancel`, { admin: true });
    const edited = { ...sampleEvent(), title: { fr: "Nouveau titre", en: "New title" } };

    const stale = await request("PUT", `/admin/events/${id}`, {
      body: edited,
      admin: true,
      headers: { "if-match": `"${readBefore}"` },
    });
    const current = await readEvent(id);
    const fresh = await request("PUT", `/admin/events/${id}`, {
      body: edited,
      admin: true,
      headers: { "if-match": `"${current.updatedAt}"` },
    });
    const withoutVersion = await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });

    expect(stale.status).toBe(409);
    expect(current.title.en).not.toBe("New title");
    expect(fresh.status).toBe(200);
    expect(withoutVersion.status).toBe(200);
    expect(cancelledOf(await readEvent(id))).toEqual({ fr: true, en: false });
  });

  it("refuses to rewrite a mailing page from a read older than the last rewrite (two erasures at once)", async () => {
    const key = keys.mailingRecipients(uniqueId("mailing"), 0);
    const entry = (name: string) => ({ registrationId: name, email: `${name}@example.org` });
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...key, recipients: [entry("a"), entry("b")] } }),
    );
    const readByFirst = await readList(key, "recipients");
    const readBySecond = await readList(key, "recipients");
    if (!readByFirst || !readBySecond) throw new Error("the page is missing");

    const firstWrote = await writeList(key, "recipients", [entry("b")], readByFirst.version);
    // The second erasure removes "b" from what it read, which still holds "a".
    const secondWrote = await writeList(key, "recipients", [entry("a")], readBySecond.version);

    expect([firstWrote, secondWrote]).toEqual([true, false]);
    expect((await readList(key, "recipients"))?.list).toEqual([entry("b")]);
  });
});
