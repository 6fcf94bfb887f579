import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { describe, expect, inject, it } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.ts";
import { batchedPuts } from "../../shared/aws/batch-write.ts";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { keys } from "../../shared/aws/table.ts";
import { message } from "../../shared/bus/define-event.ts";
import { confirmationRequested } from "../../shared/bus/events/confirmation-requested.ts";
import { mailingBatch } from "../../shared/bus/events/mailing-batch.ts";
import { mailingRequested } from "../../shared/bus/events/mailing-requested.ts";
import { deliverOnce } from "../../shared/deliveries/deliver-once.ts";
import { claimDelivery, releaseDelivery } from "../../shared/deliveries/delivery-store.ts";
import { deliveryTag } from "../../shared/deliveries/delivery-tag.ts";
import {
  handOnLease,
  leaseAttributes,
  leaseMarginMs,
  sendEventGraceMs,
} from "../../shared/deliveries/lease.ts";
import { getEvent, saveEvent } from "../../shared/events/event-store.ts";
import { sendSessionCancellations } from "../../shared/events/send-session-cancellations.ts";
import { mailSettings, SendDeadlineError, sendRawMail } from "../../shared/mail/mailer.ts";
import {
  changeStatus,
  fixRecipients,
  getMailing,
  recipientsPage,
  renewBatchLease,
} from "../../shared/mailings/mailing-store.ts";
import { mailingMessageFor } from "../../shared/mailings/message.ts";
import { resolveRecipients } from "../../shared/mailings/recipients.ts";
import { reminderDeliveryKind } from "../../shared/reminders/reminder.ts";
import { suppressionOf } from "../../shared/suppression/suppression-store.ts";
import { mailsTo, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled, waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

/**
 * A process that dies mid-step leaves its state as it was, with leases that expire: these tests
 * write that state as a killed process would, and check that the sweeper (the stack's tick, every
 * second in tests) resumes each step so that everyone is mailed exactly once.
 */
const { request } = apiClient();
const outbox = inject("outboxDir");

/** A lease that ran out a while ago: its holder is dead. */
const expired = () => new Date(Date.now() - 10_000);

/** The commands a client sends from now on, with their input, until `stop()`. */
function watchCommands(client: DynamoDBDocumentClient) {
  const sent: { command: string; input: unknown }[] = [];
  const name = uniqueId("watch");
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push({ command: String(context.commandName), input: args.input });
      return next(args);
    },
    { step: "initialize", name },
  );
  return {
    commands: () => sent.map(({ command }) => command),
    inputsOf: (command: string) => sent.flatMap((call) => (call.command === command ? [call.input] : [])),
    stop: () => client.middlewareStack.remove(name),
  };
}

async function eventWithRegistrants(count: number) {
  const id = uniqueId("crash");
  await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
  const people: { email: string; registrationId: string }[] = [];
  for (let index = 0; index < count; index++) {
    const body = registrant();
    const response = await request("POST", `/events/${id}/registrations`, { body });
    expect(response.status).toBe(201);
    people.push({ email: body.email, registrationId: response.json.registrationId });
  }
  for (const person of people) await waitForMails(outbox, person.email);
  return { id, people };
}

async function draftMailing(eventId: string) {
  const created = await request("POST", `/admin/events/${eventId}/mailings`, {
    body: {
      name: "After the crash",
      segment: {},
      subject: { fr: "Suite", en: "Follow-up" },
      body: { fr: "Bonjour", en: "Hello" },
    },
    admin: true,
  });
  expect(created.status).toBe(201);
  return created.json.mailingId as string;
}

const mailingMails = async (email: string) =>
  (await mailsTo(outbox, email)).filter((mail) => /Suite|Follow-up/.test(mail.parsed.subject ?? ""));

const finished = (eventId: string, mailingId: string) =>
  waitUntil(
    "the mailing to be sent",
    () => getMailing(eventId, mailingId),
    (mailing) => mailing.status === "sent",
  );

describe("steps resumed after a crash", () => {
  it("sends a mailing whose process died between marking it sending and publishing its request", async () => {
    const { id, people } = await eventWithRegistrants(3);
    const mailingId = await draftMailing(id);
    // The write of `sendMailing`, then the process died: `mailing.requested` was never published.
    const requested = message(mailingRequested, { eventId: id, mailingId });
    await changeStatus({ eventId: id, mailingId }, ["draft"], "sending", new Date(), {
      until: expired(),
      resume: requested,
    });

    const mailing = await finished(id, mailingId);
    await busSettled(); // a second chain, had there been one, has mailed by now

    expect([mailing.sent, mailing.skipped, mailing.failed]).toEqual([3, 0, 0]);
    for (const person of people) expect(await mailingMails(person.email)).toHaveLength(1);
  });

  it("finishes a page whose batch died half-way: the dead claim is taken over, nobody mailed twice, counts from the records", async () => {
    const { id, people } = await eventWithRegistrants(4);
    const mailingId = await draftMailing(id);
    await changeStatus({ eventId: id, mailingId }, ["draft"], "sending", new Date());
    const draft = await getMailing(id, mailingId);
    await fixRecipients(draft, await resolveRecipients(await getEvent(id), draft.segment), new Date());
    const mailing = await getMailing(id, mailingId);
    const event = await getEvent(id);
    const [first, second] = await recipientsPage(mailingId, 0);
    if (!first || !second) throw new Error("the mailing has no recipients");
    // The dead batch mailed the first recipient and recorded it, claimed the second and died
    // before SES answered, and never reached the others; its lease on the mailing ran out.
    await deliverOnce(
      { key: keys.mailingDelivery(mailingId, first.registrationId), to: first.email, audience: "mailing" },
      async () => {
        const mail = await mailingMessageFor(mailing, event, first);
        return sendRawMail({ raw: mail.raw, to: mail.to });
      },
    );
    await claimDelivery(
      keys.mailingDelivery(mailingId, second.registrationId),
      "sending",
      new Date(),
      { until: expired() },
      { alone: true },
    );
    await renewBatchLease(mailing, 0, {
      until: expired(),
      resume: message(mailingBatch, { eventId: id, mailingId, page: 0, offset: 0 }),
    });

    const sent = await finished(id, mailingId);
    await busSettled();

    expect([sent.sent, sent.skipped, sent.failed]).toEqual([4, 0, 0]);
    for (const person of people) expect(await mailingMails(person.email)).toHaveLength(1);
  });

  it("resumes at once on the organiser's request, counts read from the delivery records; 409 for a draft", async () => {
    const { id, people } = await eventWithRegistrants(3);
    const mailingId = await draftMailing(id);
    const refused = await request("POST", `/admin/events/${id}/mailings/${mailingId}/resume`, {
      admin: true,
    });
    // Sending, its recipients fixed and its lease still running for minutes, but nobody sends:
    // the organiser does not want to wait for the lease to expire.
    const requested = message(mailingRequested, { eventId: id, mailingId });
    await changeStatus({ eventId: id, mailingId }, ["draft"], "sending", new Date(), handOnLease(requested));

    const resumed = await request("POST", `/admin/events/${id}/mailings/${mailingId}/resume`, {
      admin: true,
    });
    const mailing = await finished(id, mailingId);
    await busSettled();

    expect(refused.status).toBe(409);
    expect(resumed.status).toBe(202);
    expect([mailing.sent, mailing.skipped, mailing.failed]).toEqual([3, 0, 0]);
    for (const person of people) expect(await mailingMails(person.email)).toHaveLength(1);
  });

  it("leaves a live lease alone: a duplicate finds the claim and sends nothing", async () => {
    const key = keys.mailingDelivery(uniqueId("mailing"), uniqueId("registration"));
    const live = handOnLease(message(mailingRequested, { eventId: "x", mailingId: "y" }));
    await claimDelivery(key, "sending", new Date(), { until: live.until }, { alone: true });
    let sends = 0;

    const outcome = await deliverOnce({ key, to: "someone@example.org", audience: "mailing" }, async () => {
      sends++;
      return { messageId: "never" };
    });

    expect(outcome).toBe("already-claimed");
    expect(sends).toBe(0);
  });

  it("never begins a send after its claim's lease ran out: the claim is freed for the one taking over, who mails once", async () => {
    const to = `${uniqueId("late")}@example.org`;
    const key = keys.delivery(uniqueId("registration"), "confirmation", 1);
    const raw = `From: ${mailSettings.senderEmail}\r\nTo: ${to}\r\nSubject: Once\r\n\r\nHello`;
    const mail = { raw: Buffer.from(raw), to };
    // A step still waiting when its claim's lease (less the margin for the writes after a send)
    // has run out: a sweeper may already have taken the claim over.
    const late = deliverOnce(
      { key, to, audience: "registrant", lease: { until: new Date(Date.now() + leaseMarginMs - 1) } },
      (options) => sendRawMail(mail, options),
    );
    await expect(late).rejects.toBeInstanceOf(SendDeadlineError);

    const takenOver = await deliverOnce({ key, to, audience: "registrant" }, (options) =>
      sendRawMail(mail, options),
    );

    expect(takenOver).toBe("sent");
    expect(await mailsTo(outbox, to)).toHaveLength(1);
  });

  it("hands a session's cancellation mails on when its step runs short of time, the rest mailed by the next step, each once", async () => {
    const { id, people } = await eventWithRegistrants(3);
    // The session is cancelled without announcing it, so that only the steps below mail.
    const event = await getEvent(id);
    const { id: _id, createdAt: _created, updatedAt: _updated, ...settings } = event;
    const sessions = settings.sessions.map((session) => ({
      ...session,
      cancelledAt: new Date().toISOString(),
    }));
    await saveEvent(id, { ...settings, sessions }, new Date(), event);

    // A step whose time is already within the margin: it mails one registrant, then hands on.
    const outcome = await sendSessionCancellations(
      { eventId: id, sessionId: "fr" },
      { timeLeftMs: () => 10_000, handOverMarginMs: 20_000 },
    );
    const mails = await Promise.all(people.map((person) => waitForMails(outbox, person.email, 2)));
    await busSettled(1);

    expect(outcome).toBe("handed-on");
    for (const person of people) expect(await mailsTo(outbox, person.email)).toHaveLength(2);
    for (const pair of mails) expect(pair.at(-1)?.calendar).toMatch(/METHOD:CANCEL/);
  });

  it("mails a confirmation whose sender died after claiming it, once its lease expires", async () => {
    const { id, people } = await eventWithRegistrants(1);
    const [person] = people;
    if (!person) throw new Error("nobody registered");
    // A resend (the second confirmation) claimed by a consumer that died before sending.
    const key = keys.delivery(person.registrationId, "confirmation", 2);
    const resume = message(confirmationRequested, {
      eventId: id,
      registrationId: person.registrationId,
      confirmationNumber: 2,
    });
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...key,
          state: "sending",
          claimedAt: new Date().toISOString(),
          ...leaseAttributes(key, { until: expired(), resume }),
        },
      }),
    );

    const mails = await waitUntil(
      "the second confirmation",
      () => mailsTo(outbox, person.email),
      (found) => found.length >= 2,
    );
    await busSettled(1);

    expect(mails).toHaveLength(2);
    expect(await mailsTo(outbox, person.email)).toHaveLength(2);
  });

  it("counts a reminder from its delivery records: what a crash left uncounted or counted twice does not show", async () => {
    const { id, people } = await eventWithRegistrants(4);
    const [sent1, sent2, refused, dead] = people;
    if (!sent1 || !sent2 || !refused || !dead) throw new Error("four registrants expected");
    const keyOf = (registrationId: string) =>
      keys.delivery(registrationId, reminderDeliveryKind("fr", "P1D"), 1);
    const deliver = (registrationId: string, send: () => Promise<{ messageId: string }>) =>
      deliverOnce(
        { key: keyOf(registrationId), to: `${registrationId}@example.org`, audience: "registrant" },
        send,
      );
    // The reminder's step mailed two, SES refused one, and it died with a fourth claimed, before
    // writing its page's count; a retried step then counted a page again: the counter says 7.
    await deliver(sent1.registrationId, async () => ({ messageId: "sent-1" }));
    await deliver(sent2.registrationId, async () => ({ messageId: "sent-2" }));
    await deliver(refused.registrationId, async () => {
      throw Object.assign(new Error("Address blacklisted."), { name: "MessageRejected" });
    });
    await claimDelivery(
      keyOf(dead.registrationId),
      "sending",
      new Date(),
      { until: new Date(Date.now() + 60_000) },
      { alone: true },
    );
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.reminder(id, "fr", "P1D"),
        UpdateExpression: "SET #status = :sent, sent = :wrong REMOVE gsi1pk, gsi1sk",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":sent": "sent", ":wrong": 7 },
      }),
    );

    const response = await request("GET", `/admin/events/${id}/reminders`, { admin: true });

    expect(response.status).toBe(200);
    const rows = response.json.reminders as { sessionId: string; offset: string }[];
    expect(rows.find((row) => row.sessionId === "fr" && row.offset === "P1D")).toMatchObject({
      status: "sent",
      sent: 2,
      failed: 1,
      skipped: 0,
    });
    // A reminder that has not fired has sent nothing.
    expect(rows.find((row) => row.sessionId === "fr" && row.offset === "PT1H")).toMatchObject({
      status: "scheduled",
      sent: 0,
      failed: 0,
    });
  });
});

describe("a dead sender's claim, and SES's send event", () => {
  const rawTo = (to: string) =>
    Buffer.from(
      `From: ${mailSettings.senderEmail}\r\nTo: ${to}\r\nSubject: Sent, then died\r\n\r\nHello\r\n`,
    );
  const recordOf = async (key: { pk: string; sk: string }) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  /** A claim as its sender left it when it died: its lease ended a second ago. */
  const deadClaim = async () => {
    const registrationId = uniqueId("dead-sender");
    const key = keys.delivery(registrationId, "confirmation", 1);
    const leaseEnded = Date.now() - 1_000;
    await claimDelivery(key, "sending", new Date(), { until: new Date(leaseEnded) }, { alone: true });
    return { key, to: `${registrationId}@example.org`, leaseEnded };
  };
  const deliverCounting = async (key: { pk: string; sk: string }, to: string) => {
    let sends = 0;
    let sentAt = 0;
    const outcome = await deliverOnce({ key, to, audience: "registrant" }, async (options) => {
      sends++;
      sentAt = Date.now();
      return sendRawMail({ raw: rawTo(to), to }, options);
    });
    return { outcome, sends, sentAt };
  };

  it("records the mail SES took before its sender died as sent, and nobody sends it again; takes a claim over at once when nothing went out, after the grace otherwise", async () => {
    const tookIt = await deadClaim();
    const released = await deadClaim();
    const silent = await deadClaim();
    // The dead sender's last act: SES took its mail, tagged with the record; then it died.
    const { messageId } = await sendRawMail(
      { raw: rawTo(tookIt.to), to: tookIt.to },
      { tags: [deliveryTag(tookIt.key)] },
    );
    // This one's sender released its claim knowing nothing went out (throttled, out of time).
    await releaseDelivery(released.key, { until: new Date() }, true);

    const [afterEvent, afterRelease, afterSilence] = await Promise.all([
      deliverCounting(tookIt.key, tookIt.to),
      deliverCounting(released.key, released.to),
      deliverCounting(silent.key, silent.to),
    ]);

    expect(afterEvent).toMatchObject({ outcome: "already-claimed", sends: 0 });
    expect(await recordOf(tookIt.key)).toMatchObject({ state: "sent", messageId });
    expect(await mailsTo(outbox, tookIt.to)).toHaveLength(1);
    expect(afterRelease).toMatchObject({ outcome: "sent", sends: 1 });
    expect(afterRelease.sentAt).toBeLessThan(released.leaseEnded + sendEventGraceMs);
    // No event came for it (its sender died before SES took anything): sent once the grace is over.
    expect(afterSilence).toMatchObject({ outcome: "sent", sends: 1 });
    expect(afterSilence.sentAt).toBeGreaterThan(silent.leaseEnded + sendEventGraceMs);
    expect(await mailsTo(outbox, silent.to)).toHaveLength(1);
  });
});

describe("record-feedback's batch of SES events", () => {
  it("marks a dead sender's claim sent, suppresses a bounce, changes nothing for a tag of no delivery, and fails only the record it cannot read", async () => {
    const { handler } = (await import("../../functions/record-feedback.ts")) as {
      handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
    };
    const claimed = keys.delivery(uniqueId("batch-claim"), "confirmation", 1);
    await claimDelivery(
      claimed,
      "sending",
      new Date(),
      { until: new Date(Date.now() - 1_000) },
      { alone: true },
    );
    const bounced = `${uniqueId("bounced")}@example.org`;
    // An item that is no delivery record, which a forged or foreign tag could name.
    const foreignKey = { pk: `SUPPRESSION#${uniqueId("foreign")}@example.org`, sk: "SUPPRESSION" };
    await db.send(new PutCommand({ TableName: tableName, Item: { ...foreignKey, reason: "complained" } }));
    const sent = (key: { pk: string; sk: string }, messageId: string) => ({
      "detail-type": "Email Sent",
      detail: {
        eventType: "Send",
        mail: {
          messageId,
          timestamp: new Date().toISOString(),
          destination: ["someone@example.org"],
          tags: { [deliveryTag(key).name]: [deliveryTag(key).value] },
        },
      },
    });
    const bodies = {
      claim: sent(claimed, "ses-claimed"),
      // A tag naming an item that is no delivery record (another application's, forged).
      foreign: sent(foreignKey, "ses-foreign"),
      bounce: {
        "detail-type": "Email Bounced",
        detail: {
          eventType: "Bounce",
          bounce: { bounceType: "Permanent", bouncedRecipients: [{ emailAddress: bounced }] },
          mail: { messageId: "ses-bounced" },
        },
      },
      unreadable: { "detail-type": "Email Sent", detail: { eventType: "Send" } },
    };
    const records = Object.entries(bodies).map(([messageId, body]) => ({
      messageId,
      body: JSON.stringify({ id: uniqueId("event"), source: "aws.ses", ...body }),
    })) as SQSRecord[];

    // What the batch reads: on AWS, a key outside the delivery records would be refused to it.
    const watched = watchCommands(db);
    const answer = await handler({ Records: records }, lambdaContext("record-feedback", 10)).finally(
      watched.stop,
    );
    const reads = watched.inputsOf("BatchGetItemCommand").map((input) => JSON.stringify(input));

    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: "unreadable" }]);
    expect(reads.join()).toContain(claimed.pk);
    expect(reads.join()).not.toContain(foreignKey.pk);
    expect(
      (await db.send(new GetCommand({ TableName: tableName, Key: claimed, ConsistentRead: true }))).Item,
    ).toMatchObject({ state: "sent", messageId: "ses-claimed" });
    expect((await suppressionOf(bounced))?.reason).toBe("bounced");
  });
});

describe("a sent mail's outcome", () => {
  it("is the whole record, sent, with SES's id and no lease; the outcomes of sends around each other share one write", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
    const deliveryKeys = Array.from({ length: 12 }, () => keys.mailingDelivery(uniqueId("outcome"), "reg"));
    const outcomes = await Promise.all(
      deliveryKeys.map((key, n) =>
        deliverOnce(
          // The first alone (a confirmation: written at once), the others as a step's page (batched).
          n === 0
            ? { key, to: `outcome-${n}@example.org`, audience: "mailing", expiresAt }
            : {
                key,
                to: `outcome-${n}@example.org`,
                audience: "mailing",
                expiresAt,
                timeLeftMs: () => 60_000,
              },
          async () => ({ messageId: `ses-${n}` }),
        ),
      ),
    );

    expect(outcomes).toEqual(deliveryKeys.map(() => "sent"));
    for (const [n, key] of deliveryKeys.entries()) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      expect(Item).toEqual({
        ...key,
        state: "sent",
        messageId: `ses-${n}`,
        claimedAt: expect.any(String),
        sentAt: expect.any(String),
        expiresAt,
      });
    }

    // The writer itself, on a client that counts its calls: 30 puts at once are two
    // BatchWriteItems (25 and 5); puts of one key are written one after the other, the last wins.
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const watched = watchCommands(client);
    const put = batchedPuts(client, 50);
    const pk = uniqueId("batched");
    await Promise.all(Array.from({ length: 30 }, (_, n) => put({ pk, sk: `item#${n}`, n })));
    expect(watched.commands()).toEqual(["BatchWriteItemCommand", "BatchWriteItemCommand"]);
    await Promise.all([1, 2, 3].map((n) => put({ pk, sk: "thrice", n })));
    const thrice = await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk: "thrice" } }));
    expect(thrice.Item?.n).toBe(3);
    // A batch DynamoDB refuses fails each of its puts, and only them.
    const refused = put({ pk, sk: "too-big", blob: "x".repeat(500_000) });
    await expect(refused).rejects.toThrow(/size/i);
    await expect(put({ pk, sk: "after" })).resolves.toBeUndefined();
  });
});

describe("a page's claims", () => {
  it("share one transaction, each answered on its own: taken, someone else's, or a dead sender's with its take-over time", async () => {
    const mailingId = uniqueId("claims");
    const keyOf = (n: number) => keys.mailingDelivery(mailingId, `reg-${n}`);
    const lease = { until: new Date(Date.now() + 60_000) };
    // Found before the page's claims: a live claim (3), a dead sender's (5), a mail already sent (7).
    await claimDelivery(keyOf(3), "sending", new Date(), lease, { alone: true });
    await claimDelivery(
      keyOf(5),
      "sending",
      new Date(),
      { until: new Date(Date.now() - 1_000) },
      { alone: true },
    );
    await db.send(new PutCommand({ TableName: tableName, Item: { ...keyOf(7), state: "sent" } }));
    const watched = watchCommands(db);

    const now = new Date();
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, n) => claimDelivery(keyOf(n), "sending", now, lease, { alone: false })),
    ).finally(watched.stop);

    const taken = claims.flatMap((claim, n) => (claim.claimed ? [n] : []));
    expect(taken).toEqual([0, 1, 2, 4, 6, 8, 9]);
    expect(claims[3]).toEqual({ claimed: false, heldUntil: lease.until });
    expect(claims[5]).toEqual({ claimed: false, takeOverAt: expect.any(Date) });
    expect(claims[7]).toEqual({ claimed: false });
    // One transaction for the ten, cancelled by the three conditions that failed, then one for the seven.
    expect(watched.commands()).toEqual(["TransactWriteItemsCommand", "TransactWriteItemsCommand"]);
    for (const n of taken) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keyOf(n) }));
      expect(Item).toMatchObject({ state: "sending", claimedAt: now.toISOString() });
    }
    const sent = await db.send(new GetCommand({ TableName: tableName, Key: keyOf(7) }));
    expect(sent.Item).toEqual({ ...keyOf(7), state: "sent" });

    // Two claims of one delivery at once (a duplicated step): the first takes it, the second finds it.
    const twice = await Promise.all(
      [1, 2].map(() => claimDelivery(keyOf(10), "sending", new Date(), lease, { alone: false })),
    );
    expect(twice.map((claim) => claim.claimed)).toEqual([true, false]);
  });

  it("are tried again when DynamoDB cancels their transaction for want of capacity, which the SDK does not retry", async () => {
    const mailingId = uniqueId("throttled-claims");
    const lease = { until: new Date(Date.now() + 60_000) };
    // DynamoDB Local never runs out of capacity: the cancellation AWS answers then, given once.
    let cancelled = 0;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "TransactWriteItemsCommand" && cancelled++ === 0) {
          throw new TransactionCanceledException({
            message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
            $metadata: {},
            CancellationReasons: [{ Code: "None" }, { Code: "ThrottlingError" }, { Code: "None" }],
          });
        }
        return next(args);
      },
      { step: "initialize", name: "throttleOnce" },
    );

    const claims = await Promise.all(
      [0, 1, 2].map((n) =>
        claimDelivery(keys.mailingDelivery(mailingId, `reg-${n}`), "sending", new Date(), lease, {
          alone: false,
        }),
      ),
    ).finally(() => db.middlewareStack.remove("throttleOnce"));

    expect(cancelled).toBe(2);
    expect(claims).toEqual([{ claimed: true }, { claimed: true }, { claimed: true }]);
  });
});
