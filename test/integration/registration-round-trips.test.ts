import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { lambdaContext } from "../../infra/local/lambda-context.ts";
import { formStamp } from "../../shared/abuse/form-stamp.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode: number; headers?: Record<string, unknown>; body?: string }>;

/**
 * The register function as a container of its own (fresh module instances, so a cold cache and a
 * client of its own), with the per-IP limit given, and the names of the DynamoDB calls it sends.
 */
async function container(limit: string) {
  vi.resetModules();
  const previous = process.env.CONVENE_REGISTRATION_RATE_LIMIT;
  process.env.CONVENE_REGISTRATION_RATE_LIMIT = limit;
  try {
    const { handler } = (await import("../../functions/register.ts")) as { handler: Handler };
    const dynamo = await import("../../shared/aws/dynamo.ts");
    const calls: string[] = [];
    dynamo.db.middlewareStack.add(
      (next, handlerContext) => (args) => {
        calls.push(String(handlerContext.commandName).replace(/Command$/, ""));
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
    return { handler, calls, dynamo };
  } finally {
    process.env.CONVENE_REGISTRATION_RATE_LIMIT = previous;
  }
}

const post = (eventId: string, body: string, contentType = "application/json", sourceIp = "192.0.2.7") =>
  ({
    version: "2.0",
    routeKey: "POST /events/{eventId}/registrations",
    rawPath: `/events/${eventId}/registrations`,
    rawQueryString: "",
    headers: { "content-type": contentType },
    pathParameters: { eventId },
    body,
    isBase64Encoded: false,
    requestContext: {
      http: { method: "POST", path: `/events/${eventId}/registrations`, protocol: "HTTP/1.1", sourceIp },
      requestId: uniqueId("request"),
      routeKey: "POST /events/{eventId}/registrations",
      stage: "$default",
      timeEpoch: Date.now(),
    },
  }) as unknown as APIGatewayProxyEventV2;

/** A fresh invocation's context: its remaining time counts from its creation. */
const context = () => lambdaContext("register", 10);

const formBody = async (person: Record<string, unknown>) =>
  new URLSearchParams({
    ...(person as Record<string, string>),
    consent: "on",
    // Filled in a minute ago, at a person's pace.
    formStartedAt: await formStamp(new Date(Date.now() - 60_000)),
  }).toString();

async function createEvent(capacity: number) {
  const eventId = uniqueId("trips");
  const event = sampleEvent();
  event.sessions[0].capacity = capacity;
  expect((await request("PUT", `/admin/events/${eventId}`, { body: event, admin: true })).status).toBe(201);
  return eventId;
}

describe("a registration's round trips to DynamoDB", () => {
  it("is one transaction in a warm container, by JSON and by form, rate limits included", async () => {
    const { handler, calls } = await container("120");
    const eventId = await createEvent(500);
    // The first requests read the event and the form stamp's signing key; a warm container keeps both.
    expect((await handler(post(eventId, JSON.stringify(registrant())), context())).statusCode).toBe(201);
    const warmForm = post(eventId, await formBody(registrant()), "application/x-www-form-urlencoded");
    expect((await handler(warmForm, context())).statusCode).toBe(201);

    calls.length = 0;
    const json = await handler(post(eventId, JSON.stringify(registrant())), context());
    const form = await handler(
      post(eventId, await formBody(registrant()), "application/x-www-form-urlencoded"),
      context(),
    );

    expect([json.statusCode, form.statusCode]).toEqual([201, 201]);
    expect(form.body).toContain("<html");
    // The event's cached read lasts 5 s: on a loaded machine it may lapse once between the two.
    expect(calls.filter((call) => call !== "GetItem")).toEqual(["TransactWriteItems", "TransactWriteItems"]);
    expect(calls.filter((call) => call === "GetItem").length).toBeLessThanOrEqual(1);
  });

  it("applies a capacity or start time another container just saved, though this one cached the event", async () => {
    const { handler, dynamo } = await container("120");
    const eventId = await createEvent(2);
    const register = async () =>
      (await handler(post(eventId, JSON.stringify(registrant())), context())) as {
        statusCode: number;
        body: string;
      };
    /** Changes the stored event as another container's save would (a new `updatedAt`). */
    const saveElsewhere = async (change: (session: Record<string, unknown>) => void) => {
      const { GetCommand, PutCommand } = await import("@aws-sdk/lib-dynamodb");
      const { keys } = await import("../../shared/aws/table.ts");
      const { Item } = await dynamo.db.send(
        new GetCommand({ TableName: dynamo.tableName, Key: keys.event(eventId) }),
      );
      const data = structuredClone(Item?.data) as { sessions: Record<string, unknown>[] };
      change(data.sessions[0] ?? {});
      await dynamo.db.send(
        new PutCommand({
          TableName: dynamo.tableName,
          Item: { ...Item, data, updatedAt: new Date(Date.now() + 1).toISOString() },
        }),
      );
    };

    expect(JSON.parse((await register()).body).status).toBe("confirmed");
    await saveElsewhere((session) => {
      session.capacity = 1;
    });
    const second = await register();
    await saveElsewhere((session) => {
      session.startsAt = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    });
    const third = await register();

    expect(second.statusCode).toBe(201);
    expect(JSON.parse(second.body).status).toBe("waitlisted");
    expect(third.statusCode).toBe(409);
    expect(JSON.parse(third.body)).toMatchObject({ error: "registration-closed" });
  });

  it("answers 503 busy with Retry-After when its transaction keeps conflicting for 5 s, and registers nobody", async () => {
    const { handler, dynamo } = await container("120");
    const eventId = await createEvent(500);
    // DynamoDB Local cannot be made to conflict for seconds on demand: its answer to a transaction
    // that meets a concurrent one, given to every attempt of this container's client.
    const { TransactionCanceledException } = await import("@aws-sdk/client-dynamodb");
    let attempts = 0;
    dynamo.db.middlewareStack.add(
      (next, handlerContext) => async (args) => {
        if (handlerContext.commandName !== "TransactWriteItemsCommand") return next(args);
        attempts++;
        throw new TransactionCanceledException({
          message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
          $metadata: {},
          CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }, { Code: "None" }],
        });
      },
      { step: "initialize", name: "conflictEveryTime" },
    );

    const started = Date.now();
    const answer = await handler(post(eventId, JSON.stringify(registrant())), lambdaContext("register", 10));
    const tookMs = Date.now() - started;

    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(answer.body ?? "{}")).toMatchObject({ error: "busy" });
    // Retried with growing pauses for the budget, then answered well before the function's 10 s.
    expect(attempts).toBeGreaterThan(5);
    expect(tookMs).toBeGreaterThanOrEqual(4_500);
    expect(tookMs).toBeLessThan(8_000);
    const listed = await request("GET", `/admin/events/${eventId}/registrations`, { admin: true });
    expect(listed.json).toMatchObject({ registrations: [] });
  });

  it("counts a registration sent again for the same address against the limits, and refuses it past them", async () => {
    const { handler } = await container("2");
    const eventId = await createEvent(500);
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const body = JSON.stringify(registrant({ email: `${uniqueId("again")}@${uniqueId("d")}.example.org` }));

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      answers.push((await handler(post(eventId, body, "application/json", ip), context())).statusCode);
    }

    expect(answers).toEqual([201, 200, 429]);
  });
});
