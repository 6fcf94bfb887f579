import { describe, expect, inject, it } from "vitest";
import { getEvent } from "../../shared/events/event-store.ts";
import { composeMessage } from "../../shared/mail/compose.ts";
import { mailSettings, sendRawMail } from "../../shared/mail/mailer.ts";
import { changeStatus, fixRecipients, getMailing } from "../../shared/mailings/mailing-store.ts";
import { resolveRecipients } from "../../shared/mailings/recipients.ts";
import { sendMailingBatch } from "../../shared/mailings/send-batch.ts";
import { mailsTo, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");

describe("a mailing step whose sends run out of time", () => {
  it("releases their claims and hands on from there: everyone is mailed once by the next step", async () => {
    const id = uniqueId("deadline");
    const emails = Array.from({ length: 3 }, () => `${uniqueId("deadline")}@example.org`);
    await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
    for (const email of emails) {
      const response = await request("POST", `/events/${id}/registrations`, {
        body: registrant({ email, sessionId: "fr", firstName: "Test", lastName: "Person" }),
      });
      expect(response.status).toBe(201);
    }
    for (const email of emails) await waitForMails(outbox, email);
    const created = await request("POST", `/admin/events/${id}/mailings`, {
      body: { name: "Deadline", subject: { fr: "Échéance" }, body: { fr: "Bonjour {{firstName}}" } },
      admin: true,
    });
    const mailing = { eventId: id, mailingId: created.json.mailingId as string };
    // Started by hand, not through the bus, so that this test runs the first step itself.
    await changeStatus(mailing, ["draft"], "sending", new Date());
    const stored = await getMailing(id, mailing.mailingId);
    await fixRecipients(stored, await resolveRecipients(await getEvent(id), stored.segment), new Date());
    // Other sends of this process keep the pacer's next slots taken (20 ahead, some 100 ms), so
    // that each send of the step would have to wait longer than the 2 ms it is given.
    const filler = await composeMessage({
      from: mailSettings.senderEmail,
      to: "filler@example.org",
      subject: "Filler",
      text: "Filler",
      html: "<p>Filler</p>",
    });
    let filling = true;
    const fillers = Array.from({ length: 20 }, async () => {
      while (filling) await sendRawMail({ raw: filler, to: "filler@example.org" });
    });
    await sendRawMail({ raw: filler, to: "filler@example.org" });

    // Enough time to start every send (more than the margin), too little to wait for a slot.
    const outcome = await sendMailingBatch(
      { ...mailing, page: 0, offset: 0 },
      { timeLeftMs: () => 3, marginMs: 2, concurrency: emails.length },
    );
    filling = false;
    await Promise.all(fillers);
    const mailed = await Promise.all(
      emails.map(async (email) => {
        await waitForMails(outbox, email, 2);
        return (await mailsTo(outbox, email)).filter((mail) => mail.parsed.subject === "Échéance").length;
      }),
    );
    let final = await getMailing(id, mailing.mailingId);
    for (let attempt = 0; final.status === "sending" && attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      final = await getMailing(id, mailing.mailingId);
    }

    expect(outcome).toBe("handed-on");
    expect(mailed).toEqual(emails.map(() => 1));
    expect(final).toMatchObject({ status: "sent", sent: emails.length, failed: 0 });
  });
});
