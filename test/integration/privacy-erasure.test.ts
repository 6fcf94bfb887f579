import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { db, tableName } from "../../shared/aws/dynamo.ts";
import { message } from "../../shared/bus/define-event.ts";
import { registrationErasure } from "../../shared/bus/events/registration-erasure.ts";
import type { Lease } from "../../shared/deliveries/lease.ts";
import type { Registration } from "../../shared/domain/registration.ts";
import { getEvent } from "../../shared/events/event-store.ts";
import { erasedAddressItem } from "../../shared/privacy/erased-addresses.ts";
import { markErasing, registrationState } from "../../shared/privacy/privacy-store.ts";
import { expiresAtOf } from "../../shared/privacy/retention.ts";
import { findRegistration, getSessionCounters } from "../../shared/registrations/registration-store.ts";
import { manageLinkIn, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");

/** Every item of the table (test only: the app never scans), read page by page. */
async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: cursor }));
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}

/** The items that mention any of `needles` anywhere (keys, attributes, nested lists). */
const itemsMentioning = async (...needles: string[]) =>
  (await scanTable()).filter((item) => {
    const text = JSON.stringify(item).toLowerCase();
    return needles.some((needle) => text.includes(needle.toLowerCase()));
  });

/** A person nobody else in the table is: a unique address and name. */
function person(sessionId = "fr") {
  const tag = uniqueId("x").slice(2);
  return registrant({
    sessionId,
    email: `erase-${tag}@example.org`,
    firstName: `Zelda${tag}`,
    lastName: `Quark${tag}`,
  });
}

async function createEvent(changes: Record<string, unknown> = {}) {
  const eventId = uniqueId("privacy");
  const created = await request("PUT", `/admin/events/${eventId}`, {
    body: { ...sampleEvent(), ...changes },
    admin: true,
  });
  expect(created.status, created.text).toBe(201);
  return eventId;
}

/** Registers, and waits for the confirmation: its manage link and the registration's id. */
async function registerAndConfirm(eventId: string, body: ReturnType<typeof person>) {
  const response = await request("POST", `/events/${eventId}/registrations`, { body });
  expect(response.status, response.text).toBe(201);
  const [mail] = await waitForMails(outbox, body.email);
  const link = manageLinkIn(mail as NonNullable<typeof mail>) ?? "";
  return { registrationId: response.json.registrationId as string, manage: new URL(link) };
}

/** Imports an attendance report of their session naming them (`lineEnd`: one download's bytes or another's). */
const importReportNaming = (eventId: string, body: ReturnType<typeof person>, lineEnd = "\n") =>
  request("POST", `/admin/events/${eventId}/sessions/${body.sessionId}/attendance`, {
    rawBody: `Full name,E-mail address,Duration (minutes)${lineEnd}${body.firstName} ${body.lastName},${body.email},45${lineEnd}`,
    contentType: "text/csv",
    admin: true,
  });

/** An attendance report naming them, and a mailing sent to the session: pages with their data. */
async function attendAndMail(eventId: string, body: ReturnType<typeof person>) {
  const imported = await importReportNaming(eventId, body);
  expect(imported.status, imported.text).toBe(200);
  const mailing = await request("POST", `/admin/events/${eventId}/mailings`, {
    body: {
      name: "Thanks",
      segment: {},
      subject: { fr: "Merci", en: "Thanks" },
      body: { fr: "Merci {{firstName}}", en: "Thanks {{firstName}}" },
    },
    admin: true,
  });
  expect(mailing.status, mailing.text).toBe(201);
  const sent = await request("POST", `/admin/events/${eventId}/mailings/${mailing.json.mailingId}/send`, {
    admin: true,
  });
  expect(sent.status).toBe(202);
  await waitForMails(outbox, body.email, 2);
  await waitUntil(
    "the mailing to finish",
    async () =>
      (await request("GET", `/admin/events/${eventId}/mailings/${mailing.json.mailingId}`, { admin: true }))
        .json.status,
    (status) => status === "sent",
  );
}

/** `convene` as an organiser runs it: a real process, its output and its exit code. */
function convene(args: string[]) {
  const shim = fileURLToPath(new URL("../../bin/convene.mjs", import.meta.url));
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [shim, ...args],
      {
        env: {
          ...process.env,
          CONVENE_API_URL: inject("api"),
          CONVENE_ADMIN_TOKEN: inject("adminToken"),
          CONVENE_TOKEN: undefined,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The first step of an erasure as `eraseRegistration` takes it, and nothing after: a process that stops there. */
async function stepOneOnly(registration: Registration, lease: Lease) {
  const event = await getEvent(registration.eventId);
  const mark = await erasedAddressItem(event.id, registration.email, expiresAtOf(event));
  return markErasing(registration, lease, new Date(), mark);
}

const postForm = (url: URL, form: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });

// Each test has its own event and people: they run side by side (most of their time is waiting on mail).
// Under load (other test files, other engineers) a test that waits on a mailing can pass 30 s.
describe.concurrent("retention", { timeout: 60_000 }, () => {
  it("gives every item about a registrant an expiresAt, and moves it when retentionDays changes", async () => {
    const eventId = await createEvent({ retentionDays: 30 });
    const body = person();
    const { registrationId } = await registerAndConfirm(eventId, body);
    await attendAndMail(eventId, body);

    const expected = expiresAtOf(await getEvent(eventId));
    const items = await itemsMentioning(body.email, registrationId);
    // Registration, uniqueness item, confirmation and mailing delivery records, attendance and
    // recipient pages.
    expect(items.map((item) => String(item.sk).replace(/#.*/, "")).sort()).toEqual(
      expect.arrayContaining(["EMAIL", "MAIL", "PAGE", "PAGE", "REG", "SENT"]),
    );
    for (const item of items)
      expect([item.pk, item.sk, item.expiresAt]).toEqual([item.pk, item.sk, expected]);

    const changed = await request("PUT", `/admin/events/${eventId}`, {
      body: { ...(await getEvent(eventId)), retentionDays: 90 },
      admin: true,
    });
    expect(changed.status, changed.text).toBe(200);
    const later = expected + 60 * 24 * 3600;
    expect(expiresAtOf(await getEvent(eventId))).toBe(later);
    await waitUntil(
      "every item to get the new expiresAt",
      () => itemsMentioning(body.email, registrationId),
      (found) => found.length === items.length && found.every((item) => item.expiresAt === later),
    );
  });

  it("refuses a retention that is not a positive number of days up to ten years", async () => {
    for (const retentionDays of [0, 3651, 1.5, "365"]) {
      const refused = await request("PUT", `/admin/events/${uniqueId("privacy")}`, {
        body: { ...sampleEvent(), retentionDays },
        admin: true,
      });
      expect(refused.status).toBe(400);
      expect(refused.json.issues[0].path).toBe("retentionDays");
    }
  });
});

describe.concurrent("delete my data", { timeout: 60_000 }, () => {
  it("downloads, then erases everything about the registrant from the manage link; their seat goes to the waiting list", async () => {
    const eventId = await createEvent();
    await request("PUT", `/admin/events/${eventId}`, {
      body: {
        ...(await getEvent(eventId)),
        sessions: sampleEvent().sessions.map((s) => ({ ...s, capacity: 1 })),
      },
      admin: true,
    });
    const body = person();
    const { registrationId, manage } = await registerAndConfirm(eventId, body);
    const waiting = person();
    const next = await registerAndConfirm(eventId, waiting);
    expect((await findRegistration(next.registrationId))?.status).toBe("waitlisted");
    await attendAndMail(eventId, body);

    const page = await fetch(manage);
    const pageText = await page.text();
    expect(pageText).toContain("Supprimer mes données");
    const download = await fetch(new URL(`/registrations/${registrationId}/data${manage.search}`, manage));
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="my-data-/);
    const data = (await download.json()) as {
      registration: { email: string };
      deliveries: unknown[];
      mailings: unknown[];
      attendance: unknown[];
    };
    expect(data.registration.email).toBe(body.email);
    expect(data.deliveries[0]).toMatchObject({ kind: "confirmation", state: "sent" });
    expect(data.mailings).toEqual([expect.objectContaining({ mailing: "Thanks", state: "sent" })]);
    expect(data.attendance).toEqual([expect.objectContaining({ attended: true, minutes: 45 })]);

    const erase = new URL(`/registrations/${registrationId}/erase${manage.search}`, manage);
    const asked = await postForm(erase);
    const askedText = await asked.text();
    expect(askedText).toContain('name="confirm" value="yes"');
    expect(await itemsMentioning(body.email)).not.toHaveLength(0);

    const done = await postForm(erase, { confirm: "yes" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Vos données ont été supprimées");
    // The organiser imports another download of the report (other bytes): they do not come back.
    const reimported = await importReportNaming(eventId, body, "\r\n");
    expect(reimported.json).toMatchObject({ people: 0, matched: 0, unmatched: [] });
    expect(await itemsMentioning(body.email, body.firstName, body.lastName)).toEqual([]);
    expect(await getSessionCounters(eventId, "fr")).toEqual({ confirmed: 1, waitlisted: 0, erased: 1 });
    await waitUntil(
      "the waitlisted registrant to get the seat",
      async () => (await findRegistration(next.registrationId))?.status,
      (status) => status === "confirmed",
    );
    // The statistics keep the erased registrant as a number, and nothing else.
    const stats = await request("GET", `/admin/events/${eventId}/stats`, { admin: true });
    expect(stats.json.sessions[0]).toMatchObject({ registered: 2, erased: 1, confirmed: 1, cancelled: 0 });

    const again = await postForm(erase, { confirm: "yes" });
    expect(await again.text()).toContain("Vos données avaient déjà été supprimées");
    const link = await fetch(manage);
    expect(link.status).toBe(200);
    expect(await link.text()).toContain("Vos données avaient déjà été supprimées");
    const forged = await fetch(new URL(`/registrations/${registrationId}?token=x${"A".repeat(42)}`, manage));
    expect(forged.status).toBe(403);
  });

  it("lets an organiser erase a registrant: 204, again 204, 404 for an unknown one", async () => {
    const eventId = await createEvent();
    const body = person();
    const { registrationId } = await registerAndConfirm(eventId, body);
    const path = `/admin/events/${eventId}/registrations/${registrationId}`;

    const first = await request("DELETE", path, { admin: true });
    const second = await request("DELETE", path, { admin: true });
    const unknown = await request("DELETE", `/admin/events/${eventId}/registrations/${crypto.randomUUID()}`, {
      admin: true,
    });
    const otherEvent = await request(
      "DELETE",
      `/admin/events/${await createEvent()}/registrations/${registrationId}`,
      {
        admin: true,
      },
    );

    expect([first.status, second.status, unknown.status, otherEvent.status]).toEqual([204, 204, 404, 404]);
    expect(unknown.json.error).toBe("not-found");
    expect(await itemsMentioning(body.email, body.firstName)).toEqual([]);
    expect((await request("GET", path, { admin: true })).status).toBe(404);
  });

  it("lets an organiser erase a registrant with the CLI, once confirmed with --yes", async () => {
    const eventId = await createEvent();
    const body = person();
    const { registrationId } = await registerAndConfirm(eventId, body);
    const args = ["registrations", "delete", "--event", eventId, registrationId];

    // Two processes at once: each spends seconds compiling TypeScript as it starts.
    const [unconfirmed, confirmed] = await Promise.all([convene(args), convene([...args, "--yes"])]);

    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toContain("--yes");
    expect(confirmed).toMatchObject({ code: 0, stdout: expect.stringContaining("Deleted the data") });
    expect(await itemsMentioning(body.email, body.firstName)).toEqual([]);
  });

  it("finishes an erasure whose process stopped after its first step (the sweeper resumes it)", async () => {
    const eventId = await createEvent();
    const body = person();
    const { registrationId } = await registerAndConfirm(eventId, body);
    const current = await registrationState(registrationId);
    if (current.state !== "active") throw new Error("expected an active registration");

    // Step 1 only, as a process that stops right after it: the seat is freed, the lease expired.
    const resume = message(registrationErasure, { registrationId });
    expect(await stepOneOnly(current.registration, { until: new Date(Date.now() - 1000), resume })).toBe(
      true,
    );
    expect(await getSessionCounters(eventId, "fr")).toEqual({ confirmed: 0, waitlisted: 0, erased: 1 });
    expect(await itemsMentioning(body.email)).not.toHaveLength(0);

    await waitUntil(
      "the sweeper to finish the erasure",
      () => registrationState(registrationId),
      (state) => state.state === "erased",
    );
    expect(await itemsMentioning(body.email, body.firstName, body.lastName)).toEqual([]);
    expect(await getSessionCounters(eventId, "fr")).toEqual({ confirmed: 0, waitlisted: 0, erased: 1 });
  });

  it("finishes an erasure whose process stopped after its first step when it is asked again", async () => {
    const eventId = await createEvent();
    const body = person();
    const { registrationId, manage } = await registerAndConfirm(eventId, body);
    const current = await registrationState(registrationId);
    if (current.state !== "active") throw new Error("expected an active registration");

    // Step 1 only, its lease still running (the sweeper leaves it alone): the registrant clicks again.
    const resume = message(registrationErasure, { registrationId });
    await stepOneOnly(current.registration, { until: new Date(Date.now() + 120_000), resume });
    const again = await postForm(new URL(`/registrations/${registrationId}/erase${manage.search}`, manage), {
      confirm: "yes",
    });

    expect(await again.text()).toContain("Vos données ont été supprimées");
    expect(await itemsMentioning(body.email, body.firstName, body.lastName)).toEqual([]);
    expect(await getSessionCounters(eventId, "fr")).toEqual({ confirmed: 0, waitlisted: 0, erased: 1 });
  });
});
