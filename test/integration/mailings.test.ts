import { describe, expect, inject, it } from "vitest";
import { getEvent } from "../../shared/events/event-store.ts";
import { changeStatus, fixRecipients, getMailing, setCounts } from "../../shared/mailings/mailing-store.ts";
import { resolveRecipients } from "../../shared/mailings/recipients.ts";
import { sendMailingBatch } from "../../shared/mailings/send-batch.ts";
import { mailsTo, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");

async function eventWithRegistrants(
  people: { email: string; sessionId: string; language?: string; firstName?: string; updates?: boolean }[],
) {
  const id = uniqueId("mailing");
  await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
  for (const person of people) {
    const response = await request("POST", `/events/${id}/registrations`, {
      body: registrant({ firstName: "Test", lastName: "Person", organisation: "City", ...person }),
    });
    expect(response.status).toBe(201);
  }
  // Their confirmations, so that counting mails below counts only the mailing's.
  for (const person of people) await waitForMails(outbox, person.email);
  return id;
}

const mailingBody = (segment: Record<string, unknown> = {}) => ({
  name: "Thank you",
  segment,
  subject: { fr: "Merci {{firstName}}", en: "Thank you {{firstName}}" },
  body: {
    fr: "Bonjour {{firstName}},\n\nL'enregistrement : {{links.recording}}",
    en: "Hello {{firstName}},\n\nThe recording: {{links.recording}}",
  },
  links: { recording: "https://video.example.org/recording" },
});

async function sendAndWait(id: string, mailingId: string) {
  const sent = await request("POST", `/admin/events/${id}/mailings/${mailingId}/send`, { admin: true });
  expect(sent.status).toBe(202);
  for (let attempt = 0; attempt < 300; attempt++) {
    const { json } = await request("GET", `/admin/events/${id}/mailings/${mailingId}`, { admin: true });
    if (json.status !== "sending") return json;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the mailing did not finish");
}

/** The URL of the `List-Unsubscribe` header, as a mail provider reads it. */
const unsubscribeLinkIn = (raw: string) => /^List-Unsubscribe: <([^>]+)>\r?$/m.exec(raw)?.[1] ?? "";

const mailingMails = async (email: string) =>
  (await mailsTo(outbox, email)).filter((mail) => /Merci|Thank you/.test(mail.parsed.subject ?? ""));

describe("mailings", () => {
  it("mails the absent confirmed registrants once each, in their language, with links and unsubscribe headers", async () => {
    const came = `${uniqueId("came")}@example.org`;
    const missedFr = `${uniqueId("missed")}@example.org`;
    const missedEn = `${uniqueId("missed")}@example.org`;
    const id = await eventWithRegistrants([
      { email: came, sessionId: "fr" },
      { email: missedFr, sessionId: "fr", firstName: "Amina" },
      { email: missedEn, sessionId: "fr", language: "en", firstName: "John" },
    ]);
    const report = `Email,Minutes\n${came},60\n`;
    await request("POST", `/admin/events/${id}/sessions/fr/attendance`, {
      rawBody: report,
      contentType: "text/csv",
      admin: true,
    });

    const created = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody({ attendance: "absent", sessions: ["fr"] }),
      admin: true,
    });
    const final = await sendAndWait(id, created.json.mailingId);

    expect(created.status).toBe(201);
    expect(created.json.recipients).toBe(2);
    expect(final).toMatchObject({ status: "sent", recipients: 2, sent: 2, skipped: 0, failed: 0 });
    expect(await mailingMails(came)).toHaveLength(0);
    const [french] = await mailingMails(missedFr);
    const [english] = await mailingMails(missedEn);
    expect(await mailingMails(missedFr)).toHaveLength(1);
    expect(french?.parsed.subject).toBe("Merci Amina");
    expect(english?.parsed.subject).toBe("Thank you John");
    expect(french?.parsed.text).toContain("https://video.example.org/recording");
    expect(french?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(unsubscribeLinkIn(french?.raw ?? "")).toMatch(/\/unsubscribe\?token=/);
  });

  it("skips and counts someone who unsubscribed with one click", async () => {
    const stays = `${uniqueId("stays")}@example.org`;
    const leaves = `${uniqueId("leaves")}@example.org`;
    const id = await eventWithRegistrants([
      { email: stays, sessionId: "en" },
      { email: leaves, sessionId: "en" },
    ]);
    const first = await request("POST", `/admin/events/${id}/mailings`, { body: mailingBody(), admin: true });
    await sendAndWait(id, first.json.mailingId);
    const [mail] = await mailingMails(leaves);
    const link = new URL(unsubscribeLinkIn(mail?.raw ?? ""));

    const unsubscribed = await request("POST", `${link.pathname}${link.search}`, {
      rawBody: "List-Unsubscribe=One-Click",
      contentType: "application/x-www-form-urlencoded",
    });
    const second = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    const final = await sendAndWait(id, second.json.mailingId);

    expect(unsubscribed.status).toBe(200);
    expect(final).toMatchObject({ status: "sent", recipients: 2, sent: 1, skipped: 1 });
    expect(await mailingMails(leaves)).toHaveLength(1);
    expect(await mailingMails(stays)).toHaveLength(2);
  });

  it("announces a later webinar only to those who ticked its box on the form, when the organiser says so", async () => {
    const asked = `${uniqueId("asked")}@example.org`;
    const didNot = `${uniqueId("did-not")}@example.org`;
    const id = await eventWithRegistrants([
      { email: asked, sessionId: "fr", updates: true },
      { email: didNot, sessionId: "fr" },
    ]);
    const counted = await request("POST", `/admin/events/${id}/segment-count`, {
      body: { segment: { updates: "opted-in" } },
      admin: true,
    });
    const everyone = await request("POST", `/admin/events/${id}/segment-count`, {
      body: { segment: {} },
      admin: true,
    });
    const refused = await request("POST", `/admin/events/${id}/segment-count`, {
      body: { segment: { updates: "yes" } },
      admin: true,
    });
    const created = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody({ updates: "opted-in" }),
      admin: true,
    });
    const final = await sendAndWait(id, created.json.mailingId);

    expect([counted.json, everyone.json]).toEqual([{ recipients: 1 }, { recipients: 2 }]);
    expect(refused.status).toBe(400);
    expect(final).toMatchObject({ status: "sent", recipients: 1, sent: 1 });
    expect(await mailingMails(asked)).toHaveLength(1);
    expect(await mailingMails(didNot)).toHaveLength(0);
  });

  it("keeps a sent mailing's counts when a step that counted before its last sends writes after it", async () => {
    const email = `${uniqueId("counted")}@example.org`;
    const id = await eventWithRegistrants([{ email, sessionId: "fr" }]);
    const created = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    await sendAndWait(id, created.json.mailingId);

    // What a resume or a duplicated batch read before the last send: nobody mailed yet.
    await setCounts(await getMailing(id, created.json.mailingId), { sent: 0, skipped: 0, failed: 0 });

    expect(await getMailing(id, created.json.mailingId)).toMatchObject({
      status: "sent",
      recipients: 1,
      sent: 1,
    });
  });

  it("refuses to send a mailing twice, and an unknown placeholder", async () => {
    const id = await eventWithRegistrants([]);
    const created = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    await sendAndWait(id, created.json.mailingId);

    const again = await request("POST", `/admin/events/${id}/mailings/${created.json.mailingId}/send`, {
      admin: true,
    });
    const unknown = await request("POST", `/admin/events/${id}/mailings`, {
      body: { ...mailingBody(), body: { fr: "Bonjour {{prenom}}" } },
      admin: true,
    });

    expect(again.status).toBe(409);
    expect(unknown.status).toBe(400);
    expect(unknown.json.issues[0].path).toBe("body.fr");
  });

  it("never mails twice on a duplicated batch, and finishes everyone after a batch interrupted half-way", async () => {
    const emails = Array.from({ length: 6 }, () => `${uniqueId("batch")}@example.org`);
    const id = await eventWithRegistrants(emails.map((email) => ({ email, sessionId: "fr" })));
    const { json } = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    const mailing = { eventId: id, mailingId: json.mailingId as string };
    // Started by hand, not through the bus, so that this test runs every step itself.
    await changeStatus(mailing, ["draft"], "sending", new Date());
    const stored = await getMailing(id, mailing.mailingId);
    await fixRecipients(stored, await resolveRecipients(await getEvent(id), stored.segment), new Date());
    let sendsAllowed = 3;

    const interrupted = await sendMailingBatch(
      { ...mailing, page: 0, offset: 0 },
      { timeLeftMs: () => (sendsAllowed-- > 0 ? 60_000 : 0), concurrency: 1 },
    );
    // The hand-on went to the stack's consumer; this duplicate of the first batch races it.
    await sendMailingBatch({ ...mailing, page: 0, offset: 0 }, { timeLeftMs: () => 60_000 });
    let final = await getMailing(id, mailing.mailingId);
    for (let attempt = 0; final.status === "sending" && attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = await getMailing(id, mailing.mailingId);
    }

    expect(interrupted).toBe("handed-on");
    for (const email of emails) expect(await mailingMails(email)).toHaveLength(1);
    expect(final).toMatchObject({ status: "sent", sent: 6, skipped: 0 });
  });

  it("sends nothing from batches after a cancel", async () => {
    const email = `${uniqueId("cancel")}@example.org`;
    const id = await eventWithRegistrants([{ email, sessionId: "fr" }]);
    const { json } = await request("POST", `/admin/events/${id}/mailings`, {
      body: mailingBody(),
      admin: true,
    });
    const mailing = { eventId: id, mailingId: json.mailingId as string };
    await changeStatus(mailing, ["draft"], "sending", new Date());
    const stored = await getMailing(id, mailing.mailingId);
    await fixRecipients(stored, await resolveRecipients(await getEvent(id), stored.segment), new Date());

    const cancelled = await request("POST", `/admin/events/${id}/mailings/${mailing.mailingId}/cancel`, {
      admin: true,
    });
    const batch = await sendMailingBatch({ ...mailing, page: 0, offset: 0 }, { timeLeftMs: () => 60_000 });

    expect(cancelled.json.status).toBe("cancelled");
    expect(batch).toBe("cancelled");
    expect(await mailingMails(email)).toHaveLength(0);
  });
});
