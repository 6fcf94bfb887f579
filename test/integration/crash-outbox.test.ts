import { describe, expect, inject, it, vi } from "vitest";

/**
 * The bus refuses: this worker's EventBridge endpoint is a port where nothing listens, so every
 * `PutEvents` made here fails, as when the bus is down or throttles. The stack (its consumers and
 * its sweeper) keeps its own working bus. Set before the publisher's client is built.
 */
vi.hoisted(() => {
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = "http://127.0.0.1:1";
  process.env.AWS_MAX_ATTEMPTS = "1";
});

const { registrationInputSchema } = await import("../../shared/domain/registration.ts");
const { register } = await import("../../shared/registrations/register.ts");
const { cancelAndAnnounce } = await import("../../shared/registrations/cancel.ts");
const { relayAfterMs } = await import("../../shared/bus/outbox.ts");
const { mailsTo } = await import("../support/outbox.ts");
const { registrant, sampleEvent, uniqueId } = await import("../support/sample-event.ts");
const { busSettled, waitUntil } = await import("../support/wait.ts");
const { apiClient } = await import("./api-client.ts");

const { request } = apiClient();
const outbox = inject("outboxDir");

describe("the outbox: no event lost between a write and the bus", () => {
  it("registers while the bus refuses PutEvents, and confirms everyone once the relay gets through", async () => {
    const id = uniqueId("outbox");
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
    // Registered as long ago as the request had to relay its own messages: the sweeper's turn.
    const then = new Date(Date.now() - relayAfterMs - 1_000);
    const people = [registrant(), registrant(), registrant()];

    const results = [];
    for (const person of people) {
      results.push(await register(id, registrationInputSchema.parse(person), then));
    }
    const [first, second, third] = results;
    if (!first || !second || !third) throw new Error("a registration is missing");
    const cancelled = await cancelAndAnnounce(third.registration, then);
    for (const person of people) {
      await waitUntil(
        `mail to ${person.email}`,
        () => mailsTo(outbox, person.email),
        (mails) => mails.length > 0,
      );
    }
    await busSettled(1);

    expect(results.map((result) => result.outcome)).toEqual(["created", "created", "created"]);
    expect(cancelled.status).toBe("cancelled");
    // One mail each: the confirmation, or for the one cancelled before the relay, the cancellation.
    const subjects = await Promise.all(
      people.map(async (person) => (await mailsTo(outbox, person.email)).map((mail) => mail.parsed.subject)),
    );
    expect(subjects.map((list) => list.length)).toEqual([1, 1, 1]);
    expect(subjects[0]?.[0]).toMatch(/confirmée/);
    expect(subjects[1]?.[0]).toMatch(/confirmée/);
    expect(subjects[2]?.[0]).toMatch(/annulée/);
  });
});
