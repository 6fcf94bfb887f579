import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.ts";
import { manageUrl } from "../../shared/registrations/links.ts";
import { suppressionOf } from "../../shared/suppression/suppression-store.ts";
import { unsubscribeUrl } from "../../shared/suppression/unsubscribe.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";
import { type FuzzRequest, type FuzzTarget, fuzzRequest, sendRaw } from "./fuzz-requests.ts";

const { request } = apiClient();
const api = inject("api");

/** A fresh event with one registrant, their manage token, and an unsubscribe token. */
async function fuzzTarget(): Promise<FuzzTarget & { email: string }> {
  const eventId = uniqueId("fuzz");
  const created = await request("PUT", `/admin/events/${eventId}`, { body: sampleEvent(), admin: true });
  expect(created.status).toBe(201);
  const email = `${uniqueId("fuzzed")}@example.org`;
  const registered = await request("POST", `/events/${eventId}/registrations`, {
    body: registrant({ email }),
  });
  const registrationId = registered.json.registrationId as string;
  const manageToken = new URL(await manageUrl(api, registrationId)).searchParams.get("token") as string;
  const unsubscribeToken = new URL(await unsubscribeUrl(api, email)).searchParams.get("token") as string;
  return { eventId, registrationId, manageToken, unsubscribeToken, email };
}

const registrationsOf = async (eventId: string) => {
  const response = await request("GET", `/admin/events/${eventId}/registrations?limit=1000`, { admin: true });
  return response.json.registrations as { registrationId: string; status: string }[];
};

describe("fuzzed requests on the public routes", () => {
  it("never get a 5xx, errors keep the common shape, and a refused request stores nothing", async () => {
    const target = await fuzzTarget();
    const accepted: FuzzRequest[] = [];

    await fc.assert(
      fc.asyncProperty(fuzzRequest(target), async (fuzzed) => {
        const response = await sendRaw(api, fuzzed);
        const what = `${fuzzed.method} ${fuzzed.path} → ${response.status} ${response.text.slice(0, 300)}`;
        expect(response.status, what).toBeLessThan(500);
        if (response.status >= 400 && response.contentType.includes("json")) {
          expect(typeof (JSON.parse(response.text) as { error?: unknown }).error, what).toBe("string");
        }
        if (response.status < 300 && fuzzed.method === "POST") accepted.push(fuzzed);
      }),
      { numRuns: 250, seed: Number(process.env.CONVENE_FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );

    // What was refused left no trace: the event holds its first registrant and those accepted.
    const registered = accepted.filter((sent) =>
      sent.path.startsWith(`/events/${target.eventId}/registrations`),
    );
    const cancelled = accepted.some((sent) => sent.path.includes("/cancel"));
    const unsubscribed = accepted.some((sent) => sent.path.startsWith("/unsubscribe"));
    const registrations = await registrationsOf(target.eventId);
    expect(registrations.length).toBeLessThanOrEqual(1 + registered.length);
    const first = registrations.find((one) => one.registrationId === target.registrationId);
    expect(first?.status).toBe(cancelled ? "cancelled" : "confirmed");
    expect((await suppressionOf(target.email))?.reason).toBe(unsubscribed ? "unsubscribed" : undefined);
  }, 60_000);
});

/** Inputs that reached a 500 before (issue 10), each with the statuses it may get. */
const knownBadInputs = (target: FuzzTarget): { request: FuzzRequest; statuses: number[] }[] => {
  const json = { "content-type": "application/json" };
  const registration = (changes: Record<string, unknown>) => ({
    method: "POST",
    path: `/events/${target.eventId}/registrations`,
    headers: json,
    body: JSON.stringify({ ...registrant(), ...changes }),
  });
  const get = (path: string, headers: Record<string, string> = {}) => ({
    method: "GET",
    path,
    headers,
    body: undefined,
  });
  return [
    { request: get("/events/%"), statuses: [400] },
    { request: get("/events/%/register"), statuses: [400] },
    { request: get("/registrations/%ff?token=x"), statuses: [403] },
    { request: get("/registrations/%?token=x"), statuses: [400] },
    { request: get(`/registrations/${target.registrationId}?token=%`), statuses: [403] },
    { request: get("/unsubscribe?token=%ff%"), statuses: [403] },
    { request: get("//x"), statuses: [404] },
    { request: get(`//events/${target.eventId}`), statuses: [404] },
    { request: get(`/events/${target.eventId}`, { "x-big": "x".repeat(12_000) }), statuses: [413] },
    { request: registration({ language: { toString: 1 } }), statuses: [400] },
    { request: registration({ language: {} }), statuses: [400] },
    { request: registration({ firstName: { toString: 1 } }), statuses: [400] },
    { request: registration({ email: 42, lastName: [] }), statuses: [400] },
    { request: registration({ firstName: "Amina\u0000" }), statuses: [400] },
    { request: registration({ lastName: "Benali\u2028" }), statuses: [400] },
    { request: registration({ city: "Tunis\u0085" }), statuses: [400] },
    { request: registration({ organisation: "Ville\u000bde\u000cTunis" }), statuses: [400] },
    {
      request: {
        ...registration({}),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "%=%&language=%ff",
      },
      statuses: [400],
    },
  ];
};

describe("inputs that once reached a 500", () => {
  it("get a 4xx with the common error shape, and store nothing", async () => {
    const target = await fuzzTarget();

    const answers = [];
    for (const { request: sent, statuses } of knownBadInputs(target)) {
      const response = await sendRaw(api, sent);
      answers.push({
        sent: `${sent.method} ${sent.path} ${sent.body ?? ""}`.slice(0, 200),
        status: response.status,
      });
      expect(
        statuses,
        `${sent.method} ${sent.path} → ${response.status} ${response.text.slice(0, 200)}`,
      ).toContain(response.status);
      if (response.contentType.includes("json")) expect(JSON.parse(response.text)).toHaveProperty("error");
    }

    expect(await registrationsOf(target.eventId)).toHaveLength(1);
  });
});

/**
 * On AWS, API Gateway decodes path parameters itself and hands functions whatever they hold; the
 * handlers are called here directly with any text as parameter and query values.
 */
describe("public handlers given any decoded path parameter or query value", () => {
  it("answer 4xx, never 5xx", async () => {
    const target = await fuzzTarget();
    const handlers = await Promise.all(
      [
        ["get-event", "eventId"],
        ["registration-form", "eventId"],
        ["register", "eventId"],
        ["manage-registration", "registrationId"],
        ["cancel-registration", "registrationId"],
        ["unsubscribe-page", undefined],
        ["unsubscribe", undefined],
      ].map(async ([name, param]) => ({
        name,
        param,
        handler: ((await import(`../../functions/${name}.ts`)) as { handler: HandlerOf }).handler,
      })),
    );
    const anyText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.constantFrom("", "%", "\u0000", "../x"),
    );

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...handlers),
        anyText,
        fc.option(anyText, { nil: undefined }),
        fc.option(anyText, { nil: undefined }),
        async ({ name, param, handler }, value, token, lang) => {
          const event = apiGatewayEvent({
            pathParameters: param ? { [param]: value } : undefined,
            queryStringParameters: {
              ...(token === undefined ? {} : { token }),
              ...(lang === undefined ? {} : { lang }),
            },
            body: JSON.stringify(registrant({ language: lang })),
          });
          const response = await handler(event, lambdaContext(name ?? "", 10));
          expect(response.statusCode, `${name} ${JSON.stringify(value)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
    expect(await registrationsOf(target.eventId)).toHaveLength(1);
  });
});

type HandlerOf = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

/** A payload-format-2.0 event as API Gateway sends it, with the given parts. */
const apiGatewayEvent = (parts: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 => ({
  version: "2.0",
  routeKey: "$default",
  rawPath: "/",
  rawQueryString: "",
  headers: { "content-type": "application/json" },
  isBase64Encoded: false,
  requestContext: {
    accountId: "000000000000",
    apiId: "fuzz",
    domainName: "fuzz.local",
    domainPrefix: "fuzz",
    http: { method: "POST", path: "/", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "fuzz" },
    requestId: "fuzz",
    routeKey: "$default",
    stage: "$default",
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  ...parts,
});
