import { describe, expect, inject, it, vi } from "vitest";

/**
 * This worker's EventBridge endpoint is a port where nothing listens, so any `PutEvents` made here
 * fails. The changes below run here: if one published its message itself instead of writing it
 * to the outbox, it would fail or its mail would never come. The stack (its own working bus and
 * its reader of the table's stream) relays what they wrote. Set before any client is built.
 */
vi.hoisted(() => {
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = "http://127.0.0.1:1";
  process.env.AWS_MAX_ATTEMPTS = "1";
});

const { registrationInputSchema } = await import("../../shared/domain/registration.ts");
const { register } = await import("../../shared/registrations/register.ts");
const { cancelForRegistrant, move, restore } = await import(
  "../../shared/registrations/organiser-actions.ts"
);
const { cancelSessions } = await import("../../shared/events/cancel-sessions.ts");
const { mailsTo } = await import("../support/outbox.ts");
const { registrant, sampleEvent, uniqueId } = await import("../support/sample-event.ts");
const { busSettled, waitUntil } = await import("../support/wait.ts");
const { apiClient } = await import("./api-client.ts");

const { request } = apiClient();
const outbox = inject("outboxDir");

describe("the outbox: changes write their messages, the table's stream relays them", () => {
  it("registers, cancels, restores and moves without PutEvents of their own, and mails each step once", async () => {
    const id = uniqueId("outbox");
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
    const person = registrant();
    const mailsOf = (count: number) =>
      waitUntil(
        `${count} mail(s) to ${person.email}`,
        () => mailsTo(outbox, person.email),
        (mails) => mails.length >= count,
      );

    const created = await register(id, registrationInputSchema.parse(person));
    await mailsOf(1);
    const { registrationId } = created.registration;
    const cancelled = await cancelForRegistrant(id, registrationId);
    await mailsOf(2);
    const restored = await restore(id, registrationId);
    await mailsOf(3);
    const moved = await move(id, registrationId, "en");
    await mailsOf(4);
    await busSettled(1);

    expect([created.outcome, cancelled.status, restored.status]).toEqual([
      "created",
      "cancelled",
      "confirmed",
    ]);
    expect([moved.sessionId, moved.status]).toEqual(["en", "confirmed"]);
    const subjects = (await mailsTo(outbox, person.email)).map((mail) => mail.parsed.subject ?? "");
    expect(subjects).toHaveLength(4);
    expect(subjects.map((subject) => /annulée|cancelled/i.test(subject))).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it("cancels a session without PutEvents of its own: the cancellation mail comes through the outbox", async () => {
    const id = uniqueId("outbox-cancel");
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
    const person = registrant({ sessionId: "fr" });
    await register(id, registrationInputSchema.parse(person));
    // The confirmation first: sent after the cancellation, it would be the last mail (a race of
    // the setup, not what this test is about).
    await waitUntil(
      `the confirmation to ${person.email}`,
      () => mailsTo(outbox, person.email),
      (found) => found.length >= 1,
    );

    const saved = await cancelSessions(id, "fr", undefined);
    const mails = await waitUntil(
      `the confirmation and the cancellation to ${person.email}`,
      () => mailsTo(outbox, person.email),
      (found) => found.length >= 2,
    );
    await busSettled(1);

    expect(saved.sessions.find((session) => session.id === "fr")?.cancelledAt).toBeDefined();
    expect(await mailsTo(outbox, person.email)).toHaveLength(2);
    expect(mails.at(-1)?.calendar).toMatch(/METHOD:CANCEL/);
  });
});
