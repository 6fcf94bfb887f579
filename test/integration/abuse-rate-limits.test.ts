import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.ts";
import { formStamp } from "../../shared/abuse/form-stamp.ts";
import { enforceRateLimits, networkOf, rateLimitsFromEnv } from "../../shared/abuse/rate-limits.ts";
import { RateLimitedError } from "../../shared/domain/errors.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();

/** A client address of its own per test (TEST-NET-2), so tests never share a counter. */
const newIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${uniqueId("t")}`;
const limits = (perIp: number) => ({
  perIp,
  perEmailDomain: 3 * perIp,
  perSharedMailDomain: 20 * perIp,
  perMailbox: 5,
});

const outcome = (attempt: Promise<void>) =>
  attempt.then(
    () => "allowed",
    (error: unknown) => (error instanceof RateLimitedError ? "limited" : `error: ${String(error)}`),
  );

async function createEvent() {
  const eventId = uniqueId("abuse");
  const created = await request("PUT", `/admin/events/${eventId}`, { body: sampleEvent(), admin: true });
  expect(created.status).toBe(201);
  return eventId;
}

const registrationCount = async (eventId: string) =>
  (
    (await request("GET", `/admin/events/${eventId}/registrations`, { admin: true })).json
      .registrations as unknown[]
  ).length;

describe("rate limits (DynamoDB Local)", () => {
  it("let a client through up to its limit, then refuse it with the seconds left in the hour", async () => {
    const ip = newIp();
    const now = new Date("2027-03-04T10:15:00Z");

    const results = [];
    for (let attempt = 0; attempt < 5; attempt++)
      results.push(await outcome(enforceRateLimits("register", { ip }, limits(3), now)));
    const refusal = await enforceRateLimits("register", { ip }, limits(3), now).catch(
      (error: unknown) => error,
    );

    expect(results).toEqual(["allowed", "allowed", "allowed", "limited", "limited"]);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBe(45 * 60);
    expect(await outcome(enforceRateLimits("register", { ip: newIp() }, limits(3), now))).toBe("allowed");
    expect(await outcome(enforceRateLimits("cancel", { ip }, limits(3), now))).toBe("allowed");
    expect(
      await outcome(enforceRateLimits("register", { ip }, limits(3), new Date("2027-03-04T11:00:00Z"))),
    ).toBe("allowed");
  });

  it("hold exactly under concurrent requests, as from many Lambda instances at once", async () => {
    const ip = newIp();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => outcome(enforceRateLimits("register", { ip }, limits(5)))),
    );

    expect(results.filter((result) => result === "allowed")).toHaveLength(5);
    expect(results.filter((result) => result === "limited")).toHaveLength(15);
  });

  it("count one mailbox across its +tags, and an email domain across client addresses", async () => {
    const domain = `${uniqueId("victim")}.example.org`;

    const tagged = [];
    for (let n = 0; n < 8; n++) {
      tagged.push(
        await outcome(
          enforceRateLimits("register", { ip: newIp(), email: `victim+${n}@${domain}` }, limits(100)),
        ),
      );
    }
    const domainWide = [];
    for (let n = 0; n < 8; n++) {
      domainWide.push(
        await outcome(
          enforceRateLimits("register", { ip: newIp(), email: `person${n}@${domain}` }, limits(1)),
        ),
      );
    }

    expect(tagged).toEqual([...Array(5).fill("allowed"), ...Array(3).fill("limited")]);
    // 3 a domain at a per-IP limit of 1; the 5 tagged registrations already count.
    expect(domainWide.every((result) => result === "limited")).toBe(true);
  });

  it("let the people of a public mail service register by the hundred, past an organisation's domain limit", async () => {
    // An hour of its own in 2031: gmail.com's counter is not shared with other tests' registrations.
    const now = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 365 * 24) * 3_600_000);
    const register = (email: string) =>
      outcome(enforceRateLimits("register", { ip: newIp(), email }, limits(2), now));

    const organisation = `${uniqueId("org")}.example.org`;
    const atOrganisation = [];
    for (let n = 0; n < 8; n++) atOrganisation.push(await register(`person${n}@${organisation}`));
    // Counted in 8 parts of 5 (40 / 8), each address in one: 160 addresses fill every part.
    const atGmail = await Promise.all(
      Array.from({ length: 160 }, () => register(`${uniqueId("person")}@gmail.com`)),
    );

    // 3 × 2 for an organisation's domain, 20 × 2 for gmail.com, each person from a network of their own.
    expect(atOrganisation).toEqual([...Array(6).fill("allowed"), ...Array(2).fill("limited")]);
    expect(atGmail.filter((result) => result === "allowed")).toHaveLength(40);
  });

  it("are off with CONVENE_REGISTRATION_RATE_LIMIT=0, 120 per hour and IP by default", async () => {
    const ip = newIp();
    const off = rateLimitsFromEnv({ CONVENE_REGISTRATION_RATE_LIMIT: "0" });

    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        outcome(enforceRateLimits("register", { ip, email: "a+1@example.org" }, off)),
      ),
    );

    expect(new Set(results)).toEqual(new Set(["allowed"]));
    expect(rateLimitsFromEnv({})).toEqual({
      perIp: 120,
      perEmailDomain: 360,
      perSharedMailDomain: 2400,
      perMailbox: 5,
    });
    expect(() => rateLimitsFromEnv({ CONVENE_REGISTRATION_RATE_LIMIT: "lots" })).toThrow(
      /CONVENE_REGISTRATION_RATE_LIMIT/,
    );
  });

  it("count IPv6 clients per /64 and IPv4 clients on a dual-stack socket as IPv4", () => {
    expect(networkOf("2001:db8:1:2:aaaa::1")).toBe(networkOf("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
    expect(networkOf("2001:db8:1:2::1")).not.toBe(networkOf("2001:db8:1:3::1"));
    expect(networkOf("::ffff:192.0.2.7")).toBe("192.0.2.7");
  });
});

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body?: string }>;

/** The register function as deployed with CONVENE_REGISTRATION_RATE_LIMIT=2 (its own module instance). */
async function registerWithLimit(limit: string): Promise<Handler> {
  vi.resetModules();
  const previous = process.env.CONVENE_REGISTRATION_RATE_LIMIT;
  process.env.CONVENE_REGISTRATION_RATE_LIMIT = limit;
  try {
    return ((await import("../../functions/register.ts")) as { handler: Handler }).handler;
  } finally {
    process.env.CONVENE_REGISTRATION_RATE_LIMIT = previous;
  }
}

const post = (
  eventId: string,
  sourceIp: string,
  body: string,
  contentType: string,
  lang?: string,
): APIGatewayProxyEventV2 => ({
  version: "2.0",
  routeKey: "POST /events/{eventId}/registrations",
  rawPath: `/events/${eventId}/registrations`,
  rawQueryString: lang ? `lang=${lang}` : "",
  headers: { "content-type": contentType },
  queryStringParameters: lang ? { lang } : undefined,
  pathParameters: { eventId },
  body,
  isBase64Encoded: false,
  requestContext: {
    accountId: "000000000000",
    apiId: "local",
    domainName: "127.0.0.1",
    domainPrefix: "local",
    http: {
      method: "POST",
      path: `/events/${eventId}/registrations`,
      protocol: "HTTP/1.1",
      sourceIp,
      userAgent: "test",
    },
    requestId: uniqueId("request"),
    routeKey: "POST /events/{eventId}/registrations",
    stage: "$default",
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
});

describe("registration past the limit", () => {
  it("gets 429 with Retry-After and the common error shape in JSON, a page in the form's language, and stores nothing", async () => {
    const handler = await registerWithLimit("2");
    const eventId = await createEvent();
    const ip = newIp();
    // A domain of its own: the other tests' registrations at example.org count too (one table).
    const domain = `${uniqueId("city")}.example.org`;
    const person = () => registrant({ email: `${uniqueId("person")}@${domain}` });
    const json = () => post(eventId, ip, JSON.stringify(person()), "application/json");

    const first = await handler(json(), lambdaContext("register", 10));
    const second = await handler(json(), lambdaContext("register", 10));
    const third = await handler(json(), lambdaContext("register", 10));
    const form = await handler(
      post(
        eventId,
        ip,
        new URLSearchParams(person() as unknown as Record<string, string>).toString(),
        "application/x-www-form-urlencoded",
        "fr",
      ),
      lambdaContext("register", 10),
    );

    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([201, 201, 429]);
    expect(Number(third.headers?.["retry-after"])).toBeGreaterThan(0);
    expect(Number(third.headers?.["retry-after"])).toBeLessThanOrEqual(3600);
    expect(JSON.parse(third.body ?? "")).toMatchObject({
      error: "rate-limited",
      message: expect.any(String),
    });
    expect(form.statusCode).toBe(429);
    // The same window's end, seen a moment later (seconds later on a loaded machine).
    const laterBy = Number(third.headers?.["retry-after"]) - Number(form.headers?.["retry-after"]);
    expect(laterBy).toBeGreaterThanOrEqual(0);
    expect(laterBy).toBeLessThan(60);
    expect(form.body).toContain('<html lang="fr" dir="ltr">');
    expect(form.body).toContain("Trop de demandes");
    expect(await registrationCount(eventId)).toBe(2);
    // Another client is not held back by this one.
    expect(
      (
        await handler(
          post(eventId, newIp(), JSON.stringify(person()), "application/json"),
          lambdaContext("register", 10),
        )
      ).statusCode,
    ).toBe(201);
  });
});

describe("registration that runs out of time", () => {
  it("answers 503 busy with Retry-After (JSON) and a page in the form's language, not a 500; trying again registers once", async () => {
    const handler = await registerWithLimit("0");
    const eventId = await createEvent();
    const person = registrant();
    const json = () => post(eventId, newIp(), JSON.stringify(person), "application/json");
    // 5 ms of time left: middy's early timeout fires before DynamoDB has answered.
    const outOfTime = () => lambdaContext("register", 0.005);

    const timedOut = await handler(json(), outOfTime());
    const formTimedOut = await handler(
      post(
        eventId,
        newIp(),
        new URLSearchParams(registrant() as unknown as Record<string, string>).toString(),
        "application/x-www-form-urlencoded",
        "fr",
      ),
      outOfTime(),
    );
    const again = await handler(json(), lambdaContext("register", 10));

    expect(timedOut.statusCode).toBe(503);
    expect(timedOut.headers?.["retry-after"]).toBe("5");
    expect(JSON.parse(timedOut.body ?? "")).toMatchObject({ error: "busy", retryAfterSeconds: 5 });
    expect(formTimedOut.statusCode).toBe(503);
    expect(formTimedOut.body).toContain('<html lang="fr" dir="ltr">');
    expect(formTimedOut.body).toContain("Beaucoup de monde en même temps");
    // The first attempt may still have gone through after its answer: then this is the same one.
    expect([200, 201]).toContain(again.statusCode);
    await expect
      .poll(async () =>
        (
          (await request("GET", `/admin/events/${eventId}/registrations`, { admin: true })).json
            .registrations as { email: string }[]
        ).filter(({ email }) => email === person.email),
      )
      .toHaveLength(1);
  });
});

describe("the registration form's traps for scripts", () => {
  const formPost = (eventId: string, fields: Record<string, string>) =>
    request("POST", `/events/${eventId}/registrations?lang=en`, {
      rawBody: new URLSearchParams(fields).toString(),
      contentType: "application/x-www-form-urlencoded",
    });
  const fields = () => registrant() as unknown as Record<string, string>;

  it("serves a signed start time and a honeypot people do not see", async () => {
    const eventId = await createEvent();

    const page = await request("GET", `/events/${eventId}/register?lang=en`);

    expect(page.text).toMatch(/<input type="hidden" name="formStartedAt" value="\d+\.[\w-]{43}">/);
    expect(page.text).toMatch(
      /<div style="position:absolute;inset-inline-start:-10000px[^"]*" aria-hidden="true">\s*<label for="field-website">/,
    );
    expect(page.text).toMatch(/name="website" type="text" value="" tabindex="-1" autocomplete="off"/);
  });

  it("refuses a filled honeypot, a form sent back at once, and a forged start time; stores nothing", async () => {
    const eventId = await createEvent();
    const page = await request("GET", `/events/${eventId}/register?lang=en`);
    const stamp = /name="formStartedAt" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const [at] = stamp.split(".");

    const honeypot = await formPost(eventId, { ...fields(), website: "https://spam.example" });
    const atOnce = await formPost(eventId, { ...fields(), formStartedAt: stamp });
    const forged = await formPost(eventId, {
      ...fields(),
      formStartedAt: `${Number(at) - 60_000}.${stamp.split(".")[1]}`,
    });

    expect([honeypot.status, atOnce.status, forged.status]).toEqual([400, 400, 400]);
    expect(atOnce.text).toContain("The form was sent very quickly after it opened");
    expect(await registrationCount(eventId)).toBe(0);
  });

  it("accepts a form filled in at a person's pace", async () => {
    const eventId = await createEvent();

    const response = await formPost(eventId, {
      ...fields(),
      website: "",
      formStartedAt: await formStamp(new Date(Date.now() - 20_000)),
    });

    expect(response.status).toBe(201);
    expect(await registrationCount(eventId)).toBe(1);
  });
});
