import { describe, expect, inject, it, vi } from "vitest";
import { keys } from "../../shared/aws/table.ts";
import { deliverOnce } from "../../shared/deliveries/deliver-once.ts";
import { sendRegistrationMail } from "../../shared/registrations/send-registration-mail.ts";
import { signToken } from "../../shared/security/tokens.ts";
import { suppress, suppressionOf } from "../../shared/suppression/suppression-store.ts";
import { unsubscribeUrl } from "../../shared/suppression/unsubscribe.ts";
import { formatUnsubscribeToken } from "../../shared/suppression/unsubscribe-token.ts";
import { mailsTo, manageLinkIn, type OutboxMail, waitForMails } from "../support/outbox.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { busSettled, waitUntil } from "../support/wait.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const api = inject("api");
const outbox = inject("outboxDir");

const oneClick = "List-Unsubscribe=One-Click";
const formType = "application/x-www-form-urlencoded";
const browser = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

const newAddress = () => `${uniqueId("reader")}@example.org`;

/** The path and query of an address's unsubscribe link, as it would appear in a mailing. */
async function linkOf(email: string): Promise<string> {
  const url = new URL(await unsubscribeUrl(api, email));
  return `${url.pathname}${url.search}`;
}

async function createEvent() {
  const id = uniqueId("unsub");
  const response = await request("PUT", `/admin/events/${id}`, { body: sampleEvent(), admin: true });
  expect(response.status).toBe(201);
  return id;
}

async function register(eventId: string, email: string) {
  const response = await request("POST", `/events/${eventId}/registrations`, {
    body: registrant({ email }),
  });
  expect(response.status).toBe(201);
  return response.json.registrationId as string;
}

/** A send that records that it was called and pretends SES accepted the mail. */
const fakeSend = () => vi.fn(async () => ({ messageId: uniqueId("fake") }));
const deliveryKey = () => keys.delivery(uniqueId("reg"), "test", 1);

describe("unsubscribe", () => {
  it("shows the address and a one-click button on GET, in the reader's language, and unsubscribes nobody", async () => {
    const email = newAddress();
    const link = await linkOf(email);

    const french = await request("GET", link, { headers: { "accept-language": "fr-FR,fr;q=0.9" } });
    const english = await request("GET", `${link}&lang=en`, { headers: { "accept-language": "fr-FR" } });

    expect(french.status).toBe(200);
    expect(french.headers.get("content-type")).toContain("text/html");
    expect(french.text).toContain('<html lang="fr" dir="ltr">');
    expect(french.text).toContain(email);
    expect(french.text).toMatch(/<form method="post" action="\/unsubscribe\?token=[\w.-]+&amp;lang=fr"/);
    expect(french.text).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(english.text).toContain('<html lang="en" dir="ltr">');
    expect(english.text).toContain("Unsubscribe");
    expect(await suppressionOf(email)).toBeUndefined();
  });

  it("unsubscribes at once on a provider's one-click POST: mailings stop, registration mails still go out", async () => {
    const eventId = await createEvent();
    const email = newAddress();
    const link = await linkOf(email);

    const first = await request("POST", link, { rawBody: oneClick, contentType: formType });
    const again = await request("POST", link, { rawBody: oneClick, contentType: formType });
    await register(eventId, email);
    const [confirmation] = await waitForMails(outbox, email);
    const mailingSend = fakeSend();
    const registrantSend = fakeSend();
    const mailing = await deliverOnce({ key: deliveryKey(), to: email, audience: "mailing" }, mailingSend);
    const registrant = await deliverOnce(
      { key: deliveryKey(), to: email.toUpperCase(), audience: "registrant" },
      registrantSend,
    );

    expect(first.status).toBe(200);
    expect(first.json).toEqual({ status: "unsubscribed" });
    expect(again.status).toBe(200);
    expect(await suppressionOf(email)).toMatchObject({ reason: "unsubscribed" });
    expect(confirmation?.parsed.subject).toContain("Webinaire test");
    expect(mailing).toBe("suppressed");
    expect(mailingSend).not.toHaveBeenCalled();
    expect(registrant).toBe("sent");
    expect(registrantSend).toHaveBeenCalledOnce();
  });

  it("answers the page's button with a confirmation page, accepts a multipart one-click, then shows no button", async () => {
    const fromPage = newAddress();
    const fromProvider = newAddress();

    const page = await request("POST", `${await linkOf(fromPage)}&lang=fr`, {
      rawBody: oneClick,
      contentType: formType,
      headers: browser,
    });
    const form = new FormData();
    form.append("List-Unsubscribe", "One-Click");
    const multipart = await fetch(`${api}${await linkOf(fromProvider)}`, { method: "POST", body: form });
    const afterwards = await request("GET", `${await linkOf(fromPage)}&lang=en`);

    expect(page.status).toBe(200);
    expect(page.text).toContain("Vous êtes désabonné");
    expect(page.text).toContain(fromPage);
    expect(multipart.status).toBe(200);
    expect(await suppressionOf(fromProvider)).toMatchObject({ reason: "unsubscribed" });
    expect(afterwards.text).toContain("already receives no mailings");
    expect(afterwards.text).not.toContain("<form");
  });

  it("refuses a forged, altered, missing or other-purpose token with 403, as a page for browsers", async () => {
    const victim = newAddress();
    const attacker = newAddress();
    const attackerToken = new URL(await unsubscribeUrl(api, attacker)).searchParams.get("token") ?? "";
    const [, attackerMac = ""] = attackerToken.split(".");
    const middle = Math.floor(attackerMac.length / 2);
    const flipped = attackerMac[middle] === "A" ? "B" : "A";
    const tokens = [
      formatUnsubscribeToken(victim, attackerMac),
      formatUnsubscribeToken(
        attacker,
        `${attackerMac.slice(0, middle)}${flipped}${attackerMac.slice(middle + 1)}`,
      ),
      formatUnsubscribeToken(victim, await signToken("manage-registration", victim)),
      "not-a-token",
    ];

    const posts = await Promise.all(
      tokens.map((token) =>
        request("POST", `/unsubscribe?token=${token}`, { rawBody: oneClick, contentType: formType }),
      ),
    );
    const noToken = await request("POST", "/unsubscribe", { rawBody: oneClick, contentType: formType });
    const page = await request("GET", `/unsubscribe?token=${tokens[0]}&lang=fr`);
    const browserPost = await request("POST", `/unsubscribe?token=${tokens[0]}`, {
      rawBody: oneClick,
      contentType: formType,
      headers: browser,
    });
    const withoutOneClick = await request("POST", await linkOf(victim), {
      rawBody: "",
      contentType: formType,
    });

    expect([...posts, noToken].map((response) => response.status)).toEqual([403, 403, 403, 403, 403]);
    expect(posts[0]?.json).toMatchObject({ error: "forbidden" });
    expect(page.status).toBe(403);
    expect(page.text).toContain("Ce lien ne fonctionne pas");
    expect(browserPost.status).toBe(403);
    expect(browserPost.headers.get("content-type")).toContain("text/html");
    expect(withoutOneClick.status).toBe(400);
    expect(await suppressionOf(victim)).toBeUndefined();
    expect(await suppressionOf(attacker)).toBeUndefined();
  });

  it("keeps a bounce when the address unsubscribes later, so registration mails stay stopped", async () => {
    const email = newAddress();
    await suppress(email, "bounced", new Date(), "test bounce");

    const unsubscribed = await request("POST", await linkOf(email), {
      rawBody: oneClick,
      contentType: formType,
    });
    const send = fakeSend();
    const outcome = await deliverOnce({ key: deliveryKey(), to: email, audience: "registrant" }, send);

    expect(unsubscribed.status).toBe(200);
    expect(await suppressionOf(email)).toMatchObject({ reason: "bounced", detail: "test bounce" });
    expect(outcome).toBe("suppressed");
    expect(send).not.toHaveBeenCalled();
  });
});

describe("bounces", () => {
  it("suppresses an address whose confirmation bounced (local SES → default bus → record-feedback), then mails it nothing", async () => {
    const eventId = await createEvent();
    const email = `bounce+${uniqueId("t")}@simulator.amazonses.com`;

    const registrationId = await register(eventId, email);
    const [confirmation] = await waitForMails(outbox, email);
    const suppression = await waitUntil(
      "the suppression",
      () => suppressionOf(email),
      (value) => value !== undefined,
    );
    const manage = new URL(manageLinkIn(confirmation as OutboxMail) as string);
    const cancelled = await request("POST", `${manage.pathname}/cancel${manage.search}`);
    const cancellation = await sendRegistrationMail("cancelled", registrationId);
    await busSettled();

    expect(suppression).toMatchObject({ reason: "bounced", detail: expect.stringContaining("Permanent") });
    expect(cancelled.status).toBe(200);
    // The stack's own consumer of the cancellation may have recorded it first.
    expect(["suppressed", "already-claimed"]).toContain(cancellation);
    expect(await mailsTo(outbox, email)).toHaveLength(1);
  });
});
