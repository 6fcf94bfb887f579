import { describe, expect, it } from "vitest";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();

describe("events API", () => {
  it("refuses an admin route without the organiser token", async () => {
    const id = uniqueId("no-token");

    const put = await request("PUT", `/admin/events/${id}`, { body: sampleEvent() });
    const wrongToken = await request("PUT", `/admin/events/${id}`, {
      body: sampleEvent(),
      token: "wrong-token",
    });

    expect(put.status).toBe(401);
    expect(wrongToken.status).toBe(401);
    expect((await request("GET", `/events/${id}`)).status).toBe(404);
  });

  it("creates an event with 201, replaces it with 200, and reads it back", async () => {
    const id = uniqueId("create");
    const event = sampleEvent();

    const created = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
    const replaced = await request("PUT", `/admin/events/${id}`, {
      body: { ...event, title: { fr: "Nouveau titre", en: "New title" } },
      admin: true,
    });
    const readBack = await request("GET", `/admin/events/${id}`, { admin: true });

    expect(created.status).toBe(201);
    expect(replaced.status).toBe(200);
    expect(readBack.json).toMatchObject({ id, title: { en: "New title" }, sessions: event.sessions });
    expect(readBack.json.createdAt).toBe(created.json.createdAt);
  });

  it("shows the public view without any join URL", async () => {
    const id = uniqueId("public");
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });

    const response = await request("GET", `/events/${id}`);

    expect(response.status).toBe(200);
    expect(response.json.sessions.map((session: { id: string }) => session.id)).toEqual(["fr", "en"]);
    expect(response.text).not.toContain("joinUrl");
    expect(response.text).not.toContain("secret");
  });

  it("answers 400 with issues naming each invalid field, and stores nothing", async () => {
    const id = uniqueId("invalid");
    const event = sampleEvent();
    const [first, second] = event.sessions;

    const response = await request("PUT", `/admin/events/${id}`, {
      body: {
        ...event,
        organiser: { name: "UCLG", email: "not-an-email" },
        sessions: [
          { ...first, startsAt: "next tuesday" },
          { ...second, timezone: "Mars/Olympus" },
        ],
        reminders: ["P1M"],
      },
      admin: true,
    });

    expect(response.status).toBe(400);
    expect(response.json.error).toBe("validation");
    expect(response.json.issues.map((issue: { path: string }) => issue.path)).toEqual(
      expect.arrayContaining([
        "organiser.email",
        "sessions.0.startsAt",
        "sessions.1.timezone",
        "reminders.0",
      ]),
    );
    expect((await request("GET", `/admin/events/${id}`, { admin: true })).status).toBe(404);
  });

  it("refuses an event id that is not a slug", async () => {
    const response = await request("PUT", "/admin/events/Bad_Id", { body: sampleEvent(), admin: true });

    expect(response.status).toBe(400);
    expect(response.json.issues[0].path).toBe("eventId");
  });

  it("answers malformed JSON with 400, another media type with 415, a huge body with 413", async () => {
    const id = uniqueId("bad-body");

    const malformed = await request("PUT", `/admin/events/${id}`, {
      rawBody: '{"title": ',
      contentType: "application/json",
      admin: true,
    });
    const plainText = await request("PUT", `/admin/events/${id}`, {
      rawBody: "title=x",
      contentType: "text/plain",
      admin: true,
    });
    const huge = await request("PUT", `/admin/events/${id}`, {
      rawBody: JSON.stringify({ ...sampleEvent(), padding: "x".repeat(300 * 1024) }),
      contentType: "application/json",
      admin: true,
    });

    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toBe("malformed-body");
    expect(plainText.status).toBe(415);
    expect(huge.status).toBe(413);
    expect((await request("GET", `/admin/events/${id}`, { admin: true })).status).toBe(404);
  });

  it("answers 404 for an unknown route and an unknown event", async () => {
    expect((await request("GET", "/no/such/route")).status).toBe(404);
    expect((await request("GET", "/events/no-such-event")).json).toMatchObject({ error: "not-found" });
  });

  it("has the demo event seeded, with both sessions in the future and no join URL", async () => {
    const response = await request("GET", "/events/mc2cm-webinar-4");

    expect(response.status).toBe(200);
    expect(response.json.title.fr).toContain("Mineurs non accompagnés");
    for (const session of response.json.sessions)
      expect(Date.parse(session.startsAt)).toBeGreaterThan(Date.now());
    expect(response.text).not.toContain("joinUrl");
  });
});
