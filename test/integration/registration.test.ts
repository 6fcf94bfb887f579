import { describe, expect, inject, it } from "vitest";
import { mailsTo, manageLinkIn, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");

async function createEvent(options: { capacity?: number; startsInHours?: number } = {}) {
  const id = uniqueId("reg");
  const event = sampleEvent(options.startsInHours);
  event.sessions[0].capacity = options.capacity;
  const response = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  expect(response.status).toBe(201);
  return { id, event };
}

const listRegistrations = async (eventId: string) =>
  (await request("GET", `/admin/events/${eventId}/registrations`, { admin: true })).json.registrations as {
    email: string;
    status: string;
    registrationId: string;
  }[];

const icsField = (mail: OutboxMail, field: string) =>
  new RegExp(`^${field}[;:](.*)$`, "m").exec(mail.calendar ?? "")?.[1]?.trim();
const icsUtc = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");

describe("registration", () => {
  it("registers in French and in English, and mails each a confirmation with join link, manage link and invite", async () => {
    const { id, event } = await createEvent();
    const french = registrant({ sessionId: "fr" });
    const english = registrant({ sessionId: "en", firstName: "John", country: "GB" });

    const frResponse = await request("POST", `/events/${id}/registrations`, { body: french });
    const enResponse = await request("POST", `/events/${id}/registrations`, { body: english });
    const [frMail] = await waitForMails(outbox, french.email);
    const [enMail] = await waitForMails(outbox, english.email);

    expect(frResponse.status).toBe(201);
    expect(frResponse.json).toEqual({
      registrationId: expect.any(String),
      status: "confirmed",
      sessionId: "fr",
    });
    expect(enResponse.json.status).toBe("confirmed");
    expect(frMail?.parsed.subject).toContain("Webinaire test");
    // The sender's display name before the address, as inboxes show it.
    expect(frMail?.parsed.from?.value).toEqual([
      { name: "Convene (local)", address: "webinars@convene.local" },
    ]);
    expect(frMail?.parsed.text).toContain("https://webinar.example.org/j/fr-secret");
    expect(enMail?.parsed.subject).toContain("Test webinar");
    expect(enMail?.parsed.text).toContain("https://webinar.example.org/j/en-secret");
    for (const [mail, session] of [
      [frMail, event.sessions[0]],
      [enMail, event.sessions[1]],
    ] as const) {
      expect(manageLinkIn(mail as OutboxMail)).toBeDefined();
      expect(mail?.parsed.replyTo?.text).toContain("organisers@example.org");
      expect(mail?.raw).toMatch(/text\/calendar;[^\n]*method=REQUEST/i);
      expect(icsField(mail as OutboxMail, "DTSTART")).toBe(icsUtc(session.startsAt));
      const end = new Date(Date.parse(session.startsAt) + 90 * 60_000).toISOString();
      expect(icsField(mail as OutboxMail, "DTEND")).toBe(icsUtc(end));
    }
  });

  it("answers the same email in other letter case with already-registered, keeps one registration, resends once", async () => {
    const { id } = await createEvent();
    const person = registrant();
    const first = await request("POST", `/events/${id}/registrations`, { body: person });
    await waitForMails(outbox, person.email);

    const again = await request("POST", `/events/${id}/registrations`, {
      body: { ...person, email: `  ${person.email.toUpperCase()} ` },
    });

    expect(again.status).toBe(200);
    // Nothing more about who registered: anyone may post any address.
    expect(again.json).toEqual({ status: "already-registered" });
    expect(first.status).toBe(201);
    expect((await listRegistrations(id)).filter((r) => r.email === person.email)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailsTo(outbox, person.email)).toHaveLength(1); // the first mail was under ten minutes ago
  });

  it("confirms exactly the capacity under 20 concurrent registrations and waitlists the rest", async () => {
    const { id } = await createEvent({ capacity: 10 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request("POST", `/events/${id}/registrations`, { body: registrant() }),
      ),
    );

    const statuses = responses.map((response) => response.json.status);
    expect(responses.every((response) => response.status === 201)).toBe(true);
    expect(statuses.filter((status) => status === "confirmed")).toHaveLength(10);
    expect(statuses.filter((status) => status === "waitlisted")).toHaveLength(10);
    const stored = await listRegistrations(id);
    expect(stored.filter((r) => r.status === "confirmed")).toHaveLength(10);
  });

  it("cancels through the manage link, frees the seat and promotes the oldest waitlisted, who is mailed", async () => {
    const { id } = await createEvent({ capacity: 1 });
    const seated = registrant();
    const firstWaiting = registrant();
    const secondWaiting = registrant();
    await request("POST", `/events/${id}/registrations`, { body: seated });
    await request("POST", `/events/${id}/registrations`, { body: firstWaiting });
    await request("POST", `/events/${id}/registrations`, { body: secondWaiting });
    const [confirmation] = await waitForMails(outbox, seated.email);
    const [waitlistMail] = await waitForMails(outbox, firstWaiting.email);
    const manageUrl = new URL(manageLinkIn(confirmation as OutboxMail) as string);

    const page = await request("GET", `${manageUrl.pathname}${manageUrl.search}`);
    const cancelled = await request("POST", `${manageUrl.pathname}/cancel${manageUrl.search}`);
    const [, promotionMail] = await waitForMails(outbox, firstWaiting.email, 2);
    const [, cancellationMail] = await waitForMails(outbox, seated.email, 2);

    expect(page.status).toBe(200);
    expect(page.text).toContain("/cancel?token=");
    expect(cancelled.status).toBe(200);
    expect(waitlistMail?.parsed.text).not.toContain("webinar.example.org/j/");
    expect(waitlistMail?.calendar).toBeUndefined();
    expect(promotionMail?.parsed.text).toContain("https://webinar.example.org/j/fr-secret");
    expect(promotionMail?.calendar).toContain("METHOD:REQUEST");
    expect(cancellationMail?.calendar).toContain("METHOD:CANCEL");
    const statuses = Object.fromEntries((await listRegistrations(id)).map((r) => [r.email, r.status]));
    expect(statuses).toEqual({
      [seated.email]: "cancelled",
      [firstWaiting.email]: "confirmed",
      [secondWaiting.email]: "waitlisted",
    });
  });

  it("refuses a forged or altered token with 403 and changes nothing", async () => {
    const { id } = await createEvent();
    const person = registrant();
    const { json } = await request("POST", `/events/${id}/registrations`, { body: person });
    const [mail] = await waitForMails(outbox, person.email);
    const token = new URL(manageLinkIn(mail as OutboxMail) as string).searchParams.get("token") as string;
    const altered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;

    const forged = await request("POST", `/registrations/${json.registrationId}/cancel?token=forged`);
    const alteredCancel = await request(
      "POST",
      `/registrations/${json.registrationId}/cancel?token=${altered}`,
    );
    const page = await request("GET", `/registrations/${json.registrationId}?token=${altered}`);

    expect([forged.status, alteredCancel.status, page.status]).toEqual([403, 403, 403]);
    expect((await listRegistrations(id))[0]?.status).toBe("confirmed");
  });

  it("refuses bad input with the right status and a clear message, and stores nothing", async () => {
    const { id } = await createEvent();
    const post = (body: Record<string, unknown>) => request("POST", `/events/${id}/registrations`, { body });

    const noConsent = await post(registrant({ consent: false }));
    const badEmail = await post(registrant({ email: "not-an-email" }));
    const unknownSession = await post(registrant({ sessionId: "de" }));
    // Mails in Arabic around texts the event has only in French and English: refused.
    const notOffered = await post(registrant({ language: "ar" }));
    const headerInjection = await post(registrant({ lastName: "Benali\r\nBcc: victim@example.org" }));
    const tooLarge = await request("POST", `/events/${id}/registrations`, {
      rawBody: JSON.stringify(registrant({ questions: "x".repeat(100 * 1024) })),
      contentType: "application/json",
    });
    const plainText = await request("POST", `/events/${id}/registrations`, {
      rawBody: "hello",
      contentType: "text/plain",
    });
    const unknownEvent = await request("POST", "/events/no-such-event/registrations", { body: registrant() });

    const pathOf = (response: { json: { issues: { path: string }[] } }) =>
      response.json.issues.map((issue) => issue.path);
    expect(pathOf(noConsent)).toEqual(["consent"]);
    expect(pathOf(badEmail)).toEqual(["email"]);
    expect(pathOf(unknownSession)).toEqual(["sessionId"]);
    expect(unknownSession.json.issues[0].message).toContain("fr, en");
    expect(pathOf(headerInjection)).toEqual(["lastName"]);
    expect(pathOf(notOffered)).toEqual(["language"]);
    expect(notOffered.json.issues[0].message).toContain("fr, en");
    expect([noConsent.status, badEmail.status, unknownSession.status, headerInjection.status]).toEqual([
      400, 400, 400, 400,
    ]);
    expect(tooLarge.status).toBe(413);
    expect(plainText.status).toBe(415);
    expect(unknownEvent.status).toBe(404);
    expect(await listRegistrations(id)).toEqual([]);
  });

  it("refuses a registration whose body has no consent at all, and records no consent", async () => {
    const { id } = await createEvent();
    const { consent: _omitted, ...withoutConsent } = registrant();

    const response = await request("POST", `/events/${id}/registrations`, { body: withoutConsent });

    expect(response.status).toBe(400);
    expect(response.json.issues.map((issue: { path: string }) => issue.path)).toEqual(["consent"]);
    expect(await listRegistrations(id)).toEqual([]);
  });

  it("closes registration once the session has started", async () => {
    const { id } = await createEvent({ startsInHours: -1 });

    const response = await request("POST", `/events/${id}/registrations`, { body: registrant() });

    expect(response.status).toBe(409);
    expect(response.json.error).toBe("registration-closed");
  });

  it("exports registrations as CSV with a byte-order mark, accents intact", async () => {
    const { id } = await createEvent();
    await request("POST", `/events/${id}/registrations`, {
      body: registrant({ firstName: "Hélène", city: "Gênes" }),
    });

    const response = await fetch(`${inject("api")}/admin/events/${id}/registrations?format=csv`, {
      headers: { authorization: `Bearer ${inject("adminToken")}` },
    });
    const bytes = Buffer.from(await response.arrayBuffer());

    expect(response.headers.get("content-type")).toContain("text/csv");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = bytes.subarray(3).toString("utf8").trim().split("\n");
    expect(header?.split(",").slice(0, 4)).toEqual(["registrationId", "email", "firstName", "lastName"]);
    expect(row).toContain("Hélène");
    expect(row).toContain("Gênes");
  });
});
