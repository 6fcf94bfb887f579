import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ConflictError } from "../../shared/domain/errors.ts";
import { json } from "../../shared/http/responses.ts";
import { httpRoute } from "../../shared/http/route.ts";

const route = httpRoute({
  params: z.object({ eventId: z.string().regex(/^[a-z-]+$/) }),
  body: {
    schema: z.object({ name: z.string().min(1), seats: z.coerce.number().int().optional() }),
    limitBytes: 100,
    accepts: ["json", "form"],
  },
  async handle({ params, body, bodyKind }) {
    if (body.name === "taken") throw new ConflictError("name-taken", "that name is taken");
    if (body.name === "crash") throw new Error("secret database password in message");
    return json(200, { eventId: params.eventId, body, bodyKind });
  },
});

function request(body: string | undefined, contentType = "application/json", eventId = "demo") {
  const event = {
    headers: { "Content-Type": contentType },
    pathParameters: { eventId },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  return route(event, {} as Context) as Promise<{ statusCode: number; body: string }>;
}

const bodyOf = (response: { body: string }) => JSON.parse(response.body);

describe("httpRoute", () => {
  it("hands typed, valid input to the route", async () => {
    const response = await request('{"name":"Ada"}');

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ eventId: "demo", body: { name: "Ada" }, bodyKind: "json" });
  });

  it("reads form posts, as HTML pages without JavaScript send them", async () => {
    const response = await request(
      "name=Ada+Lovelace&seats=2",
      "application/x-www-form-urlencoded; charset=UTF-8",
    );

    expect(bodyOf(response)).toMatchObject({ body: { name: "Ada Lovelace", seats: 2 }, bodyKind: "form" });
  });

  it("answers invalid fields with 400 and the shared issues shape", async () => {
    const response = await request('{"name":""}', "application/json", "Not-Valid");

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({
      error: "validation",
      issues: [{ path: "eventId", message: expect.any(String) }],
    });
  });

  it("names the path of an invalid body field", async () => {
    const response = await request('{"name":""}');

    expect(bodyOf(response).issues[0].path).toBe("name");
  });

  it("answers malformed JSON with 400, not a 500", async () => {
    const response = await request('{"name":');

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toBe("malformed-body");
  });

  it("refuses a body over the route's limit with 413 before reading it", async () => {
    const response = await request(`{"name":"${"x".repeat(200)}"}`);

    expect(response.statusCode).toBe(413);
  });

  it("refuses other media types with 415 naming the accepted ones", async () => {
    const response = await request("name=Ada", "text/plain");

    expect(response.statusCode).toBe(415);
    expect(bodyOf(response).message).toContain("application/json");
  });

  it("maps a use case's conflict to 409 with its code", async () => {
    const response = await request('{"name":"taken"}');

    expect(response.statusCode).toBe(409);
    expect(bodyOf(response)).toEqual({ error: "name-taken", message: "that name is taken" });
  });

  it("answers an unexpected error with a bare 500 that never echoes it", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);

    const response = await request('{"name":"crash"}');

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("password");
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });
});
