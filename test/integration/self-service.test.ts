import { describe, expect, inject, it } from "vitest";
import { findRegistration } from "../../shared/registrations/registration-store.ts";
import { mailsTo, manageLinkIn, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled, waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const outbox = inject("outboxDir");
const api = inject("api");
const formType = "application/x-www-form-urlencoded";

/** An event whose `fr` and `en` sessions hold `capacity.fr` and `capacity.en` seats (with an Arabic title: pages in Arabic too). */
async function createEvent(capacity: { fr?: number; en?: number }, arabicTitle?: string) {
  const id = uniqueId("self");
  const event = sampleEvent();
  if (arabicTitle) event.title.ar = arabicTitle;
  event.sessions[0].capacity = capacity.fr;
  event.sessions[1].capacity = capacity.en;
  const response = await request("PUT", `/admin/events/${id}`, { body: event, admin: true });
  expect(response.status).toBe(201);
  return id;
}

/** Registers someone and returns their id and the manage link of their first mail (path and query). */
async function register(eventId: string, sessionId: string, lang = "en") {
  const body = registrant({ sessionId, language: lang });
  const response = await request("POST", `/events/${eventId}/registrations`, { body });
  expect(response.status).toBe(201);
  const [first] = await waitForMails(outbox, body.email, 1, mailWaitMs);
  const url = new URL(manageLinkIn(first as OutboxMail) ?? "");
  return {
    email: body.email,
    registrationId: response.json.registrationId as string,
    first: first as OutboxMail,
    /** `/registrations/<id>/<action>?token=…&lang=…` */
    path: (action = "") => `${url.pathname}${action && `/${action}`}${url.search}&lang=${lang}`,
  };
}

/** A form post from the manage page, its redirect not followed (the browser's 303 is the answer). */
async function post(path: string, body: string) {
  const response = await fetch(`${api}${path}`, {
    method: "POST",
    headers: { "content-type": formType },
    body,
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const switchTo = (person: { path: (action?: string) => string }, sessionId: string) =>
  post(person.path("switch"), `sessionId=${sessionId}`);

/** The properties of an iCalendar text, its folded lines unfolded (RFC 5545 3.1). */
function icsProperties(ics: string | undefined): Map<string, string> {
  const lines = (ics ?? "").replace(/\r\n[ \t]/g, "").split(/\r\n/);
  const properties = new Map<string, string>();
  for (const line of lines) {
    const match = /^([A-Z-]+)(?:;[^:]*)?:(.*)$/.exec(line);
    if (match?.[1] && !properties.has(match[1])) properties.set(match[1], match[2] ?? "");
  }
  return properties;
}
const invite = (mail: OutboxMail | undefined) => icsProperties(mail?.calendar);

// Mail goes out through the bus: on a loaded machine (the whole suite on 2 cores) it can take tens of seconds.
const mailWaitMs = 45_000;

describe.concurrent("registrant self-service", { timeout: 120_000 }, () => {
  it("a switch to a session with seats confirms there, mails one confirmation and one CANCEL of the old entry, and promotes the old session's first waitlisted", async ({
    expect,
  }) => {
    const eventId = await createEvent({ fr: 1 });
    const amina = await register(eventId, "fr");
    const waiting = await register(eventId, "fr");

    const response = await switchTo(amina, "en");
    await busSettled();
    const mails = await waitForMails(outbox, amina.email, 3, mailWaitMs);
    const waitingMails = await waitForMails(outbox, waiting.email, 2, mailWaitMs);

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(
      /^\/registrations\/[\w-]+\?token=[\w.-]+&lang=en&done=switched$/,
    );
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      sessionId: "en",
      status: "confirmed",
    });
    expect(await findRegistration(waiting.registrationId)).toMatchObject({ status: "confirmed" });
    expect(waitingMails[1]?.parsed.subject).toMatch(/^A seat became free/);
    const [first, ...after] = mails;
    const confirmations = after.filter((mail) => invite(mail).get("METHOD") === "REQUEST");
    const cancels = after.filter((mail) => invite(mail).get("METHOD") === "CANCEL");
    expect(mails).toHaveLength(3);
    expect(confirmations).toHaveLength(1);
    expect(cancels).toHaveLength(1);
    expect(confirmations[0]?.parsed.text).toContain("https://webinar.example.org/j/en-secret");
    expect(invite(cancels[0]).get("UID")).toBe(invite(first).get("UID"));
    expect(invite(cancels[0]).get("DTSTART")).toBe(invite(first).get("DTSTART"));
    expect(invite(confirmations[0]).get("UID")).not.toBe(invite(first).get("UID"));

    const page = await request("GET", response.headers.get("location") ?? "");
    expect(page.text).toContain('role="status"');
    expect(page.text).toContain("https://webinar.example.org/j/en-secret");
  });

  it("a switch to a full session puts the registrant on its waiting list: a waitlist mail without invite, and the CANCEL of the old entry", async ({
    expect,
  }) => {
    const eventId = await createEvent({ en: 1 });
    await register(eventId, "en");
    const amina = await register(eventId, "fr");

    const response = await switchTo(amina, "en");
    const mails = await waitForMails(outbox, amina.email, 3, mailWaitMs);

    expect(response.status).toBe(303);
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      sessionId: "en",
      status: "waitlisted",
    });
    const subjects = mails.slice(1).map((mail) => mail.parsed.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Waiting list/),
        expect.stringMatching(/^You changed session/),
      ]),
    );
    expect(
      mails
        .slice(1)
        .filter((mail) => mail.calendar)
        .map((mail) => invite(mail).get("METHOD")),
    ).toEqual(["CANCEL"]);
  });

  it("a switch submitted twice at once moves once and mails nobody twice", async ({ expect }) => {
    const eventId = await createEvent({ fr: 1 });
    const amina = await register(eventId, "fr");
    const waiting = await register(eventId, "fr");

    const responses = await Promise.all([switchTo(amina, "en"), switchTo(amina, "en")]);
    await waitForMails(outbox, amina.email, 3, mailWaitMs);
    await waitForMails(outbox, waiting.email, 2, mailWaitMs);
    await busSettled();

    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      sessionId: "en",
      switchCount: 1,
      confirmationNumber: 2,
    });
    expect(await mailsTo(outbox, amina.email)).toHaveLength(3);
    expect(await mailsTo(outbox, waiting.email)).toHaveLength(2);
  });

  it("after a switch, a change of the new session is announced even if the old one's change was", async ({
    expect,
  }) => {
    const eventId = uniqueId("self");
    const event = sampleEvent();
    const response = await request("PUT", `/admin/events/${eventId}`, { body: event, admin: true });
    expect(response.status).toBe(201);
    const amina = await register(eventId, "fr");
    const moveByAnHour = async (index: 0 | 1) => {
      const session = event.sessions[index];
      session.startsAt = new Date(Date.parse(session.startsAt) + 3_600_000).toISOString();
      expect((await request("PUT", `/admin/events/${eventId}`, { body: event, admin: true })).status).toBe(
        200,
      );
    };
    const updates = async () =>
      (await mailsTo(outbox, amina.email)).filter((mail) =>
        /^Change to your session/.test(mail.parsed.subject ?? ""),
      );

    await moveByAnHour(0);
    await waitUntil("the fr session's update", updates, (mails) => mails.length === 1, mailWaitMs);
    expect((await switchTo(amina, "en")).status).toBe(303);
    await waitForMails(outbox, amina.email, 4, mailWaitMs);
    await moveByAnHour(1);

    await waitUntil("the en session's update", updates, (mails) => mails.length === 2, mailWaitMs);
    await busSettled();
    expect(await updates()).toHaveLength(2);
  });

  it("refuses a tampered token with 403 and changes nothing; a cancelled session is a 409 page", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "fr", "fr");
    const tampered = amina
      .path("switch")
      .replace(
        /token=([\w.-]+)/,
        (_, token: string) => `token=${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
      );
    await request("POST", `/admin/events/${eventId}/sessions/en/cancel`, { body: {}, admin: true });

    const forged = await post(tampered, "sessionId=en");
    const calendar = await request("GET", tampered.replace("/switch", "/calendar"));
    const closed = await switchTo(amina, "en");

    expect(forged.status).toBe(403);
    expect(forged.headers.get("content-type")).toContain("text/html");
    expect(calendar.status).toBe(403);
    expect(closed.status).toBe(409);
    expect(closed.text).toContain('<html lang="fr" dir="ltr">');
    expect(closed.text).toContain("Cette session n’est pas ouverte");
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      sessionId: "fr",
      status: "confirmed",
    });
  });

  it("a registrant of a session the organisers cancelled is offered the switch, no cancel button; a cancel sent anyway is a 409 that mails nothing", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "fr", "fr");
    const cancelled = await request("POST", `/admin/events/${eventId}/sessions/fr/cancel`, {
      body: {},
      admin: true,
    });
    expect(cancelled.status).toBe(200);
    // The confirmation, then the session's cancellation (with its calendar CANCEL).
    await waitForMails(outbox, amina.email, 2, mailWaitMs);

    const page = (await request("GET", amina.path())).text;
    const byForm = await post(amina.path("cancel"), "");
    const byScript = await request("POST", amina.path("cancel"), { body: {} });
    await busSettled();

    const actionOf = (action: string) => `action="/registrations/${amina.registrationId}/${action}?`;
    expect(page).toContain(actionOf("switch"));
    expect(page).not.toContain(actionOf("cancel"));
    expect(byForm.status).toBe(409);
    expect(byForm.text).toContain("Cette session n’est pas ouverte");
    expect(byScript.status).toBe(409);
    expect(byScript.json).toMatchObject({ error: "session-cancelled" });
    expect(await mailsTo(outbox, amina.email)).toHaveLength(2);
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      sessionId: "fr",
      status: "confirmed",
    });
  });

  it("a manage link asking for a language the event does not offer shows the registrant's own, as does its invitation", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "fr", "fr");
    const withLang = (action: string, lang: string) => {
      const url = new URL(amina.path(action), api);
      url.searchParams.set("lang", lang);
      return `${url.pathname}${url.search}`;
    };

    const arabic = await request("GET", withLang("", "ar"));
    const english = await request("GET", withLang("", "en"));
    const invitation = await request("GET", withLang("calendar", "ar"));

    expect(arabic.text).toContain('<html lang="fr" dir="ltr">');
    expect(english.text).toContain('<html lang="en" dir="ltr">');
    expect(invitation.status).toBe(200);
    expect(invitation.text).not.toMatch(/[\u0600-\u06ff]/); // no Arabic words around the French entry
  });

  it("a correction of the name shows in the export, never changes the email, and comes back with its problems as a 400 page", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "fr");
    const fields = (overrides: Record<string, string>) =>
      new URLSearchParams({
        firstName: "Aminata",
        lastName: "Benali-Corrected",
        organisation: "Ville de Tunis",
        organisationType: "local-government",
        country: "TN",
        email: "someone-else@example.org",
        ...overrides,
      }).toString();

    const invalid = await post(amina.path("details"), fields({ firstName: "" }));
    const forged = await post(amina.path("details").replace("token=", "token=x"), fields({}));
    const unchanged = await findRegistration(amina.registrationId);
    const saved = await post(amina.path("details"), fields({}));
    const csv = await request("GET", `/admin/events/${eventId}/registrations?format=csv`, { admin: true });

    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(/<details class="correction" open>/);
    expect(invalid.text).toMatch(/id="field-firstName"[^>]*aria-invalid="true"/);
    expect(invalid.text).toContain('value="Benali-Corrected"');
    expect(forged.status).toBe(403);
    expect(unchanged).toMatchObject({ firstName: "Amina", lastName: "Benali" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toMatch(/&done=details$/);
    expect(await findRegistration(amina.registrationId)).toMatchObject({
      firstName: "Aminata",
      lastName: "Benali-Corrected",
      organisation: "Ville de Tunis",
      country: "TN",
      email: amina.email,
    });
    expect(csv.text).toContain("Benali-Corrected");
    expect(csv.text).not.toContain("someone-else@example.org");
  });

  it("refuses a correction sent from a page older than the stored details: two tabs do not undo each other", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "en");
    const shownVersion = (await findRegistration(amina.registrationId))?.updatedAt ?? "";
    const correction = (lastName: string) =>
      new URLSearchParams({
        version: shownVersion,
        firstName: "Amina",
        lastName,
        organisation: "Ville de Tunis",
        organisationType: "local-government",
        country: "TN",
      }).toString();

    const first = await post(amina.path("details"), correction("From-The-First-Tab"));
    const second = await post(amina.path("details"), correction("From-The-Second-Tab"));

    expect(first.status).toBe(303);
    expect(second.status).toBe(409);
    expect(second.text).toContain("Your registration changed meanwhile");
    expect(await findRegistration(amina.registrationId)).toMatchObject({ lastName: "From-The-First-Tab" });
  });

  it("downloads the invitation as an .ics with the confirmation's UID and no manage link", async ({
    expect,
  }) => {
    const eventId = await createEvent({});
    const amina = await register(eventId, "fr");

    const response = await request("GET", amina.path("calendar"));
    const ics = icsProperties(response.text);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/calendar");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.ics"$/);
    expect(response.text).toMatch(
      /^BEGIN:VCALENDAR\r\n[\s\S]*BEGIN:VEVENT[\s\S]*END:VEVENT\r\nEND:VCALENDAR(\r\n)?$/,
    );
    expect(ics.get("UID")).toBe(invite(amina.first).get("UID"));
    expect(ics.get("DTSTART")).toBe(invite(amina.first).get("DTSTART"));
    expect(ics.get("SEQUENCE")).toBe(invite(amina.first).get("SEQUENCE"));
    expect(response.text).toContain("https://webinar.example.org/j/fr-secret");
    expect(response.text.replace(/\r\n[ \t]/g, "")).not.toMatch(/token=|\/registrations\//);
  });

  it("the thank-you page of a form post links to the manage page and the invitation", async ({ expect }) => {
    const eventId = await createEvent({}, "ندوة تجريبية");
    const body = new URLSearchParams({ ...registrant({ sessionId: "fr" }), consent: "on" } as Record<
      string,
      string
    >);

    const response = await request("POST", `/events/${eventId}/registrations?lang=ar`, {
      rawBody: body.toString(),
      contentType: formType,
    });
    const manage = /href="(\/registrations\/[\w-]+\?token=[\w.-]+&amp;lang=ar)"/.exec(response.text)?.[1];
    const page = await request("GET", (manage ?? "").replace(/&amp;/g, "&"));

    expect(response.status).toBe(201);
    expect(response.text).toContain('<html lang="ar" dir="rtl">');
    expect(response.text).toMatch(
      /href="\/registrations\/[\w-]+\/calendar\?token=[\w.-]+&amp;lang=ar" download/,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain("تسجيلك");
    await waitUntil(
      "the confirmation",
      () => mailsTo(outbox, body.get("email") ?? ""),
      (mails) => mails.length === 1,
    );
  });
});
