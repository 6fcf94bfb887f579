import type { APIGatewayProxyEventV2, Context, EventBridgeEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { busConsumer } from "../../shared/bus/consumer.ts";
import { defineEvent } from "../../shared/bus/define-event.ts";
import { json } from "../../shared/http/responses.ts";
import { httpRoute } from "../../shared/http/route.ts";

// The integration run's local stack sets a quieter level for its functions, and workers inherit it;
// these tests read the INFO lines, so the logger is built with that level whatever ran before.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
});

/** The log entries the functions write (through the global console in dev mode: see vitest.config.ts). */
function captureLogLines() {
  const lines: Record<string, unknown>[] = [];
  for (const method of ["info", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((text: unknown) => {
      if (typeof text === "string" && text.startsWith("{")) lines.push(JSON.parse(text));
    });
  }
  return lines;
}

const context = {
  functionName: "test-function",
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;
const batch = defineEvent(
  "test.batch",
  z.object({ eventId: z.string(), mailingId: z.string(), page: z.int() }),
);

afterEach(() => vi.restoreAllMocks());

describe("logs of the entry wrappers", () => {
  it("writes a failed step's error in a JSON line carrying its bus event id and mailing id", async () => {
    const lines = captureLogLines();
    const handler = busConsumer([batch], async () => {
      throw new Error("SES refused");
    });
    const event = {
      id: "bus-event-1",
      "detail-type": "test.batch",
      detail: { eventId: "mc2cm", mailingId: "mailing-42", page: 3 },
    } as EventBridgeEvent<string, unknown>;

    await expect(handler(event, context)).rejects.toThrow("SES refused");

    const failed = lines.find((line) => line.message === "step failed");
    expect(failed).toMatchObject({
      level: "ERROR",
      busEventId: "bus-event-1",
      mailingId: "mailing-42",
      eventId: "mc2cm",
      page: 3,
      error: { message: "SES refused" },
    });
  });

  it("writes one line per request with its request id and path ids, never its query string", async () => {
    const lines = captureLogLines();
    const route = httpRoute({
      params: z.object({ registrationId: z.string() }),
      query: z.object({ token: z.string() }),
      handle: async () => json(200, { ok: true }),
    });
    const event = {
      headers: {},
      rawPath: "/registrations/reg-7",
      rawQueryString: "token=secret-token",
      routeKey: "GET /registrations/{registrationId}",
      pathParameters: { registrationId: "reg-7" },
      queryStringParameters: { token: "secret-token" },
      requestContext: { requestId: "request-9", http: { method: "GET" } },
    } as unknown as APIGatewayProxyEventV2;

    await route(event, context);

    const requests = lines.filter((line) => line.message === "request");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ requestId: "request-9", registrationId: "reg-7", status: 200 });
    expect(JSON.stringify(lines)).not.toContain("secret-token");
  });
});

describe("counts (Powertools metrics, one EMF line each)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("writes one line a count, with that count's dimensions only, however many came before", async () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    vi.stubEnv("POWERTOOLS_DEV", "");
    vi.resetModules();
    const { count } = await import("../../shared/observability.ts");
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    count("StepSucceeded", { detailType: "Email Sent" });
    // A count that cannot be written (more dimensions than CloudWatch takes) leaves nothing behind.
    const tooMany = Object.fromEntries(Array.from({ length: 40 }, (_, n) => [`d${n}`, "x"]));
    expect(() => count("Refused", tooMany)).toThrow();
    count("ServerError", { route: "POST /events/{eventId}/registrations" });
    count("StreamBatchSucceeded");
    vi.restoreAllMocks();

    const written = lines.map((line) => {
      const emf = JSON.parse(line);
      const [directive] = emf._aws.CloudWatchMetrics;
      return {
        metric: directive.Metrics[0].Name,
        dimensions: directive.Dimensions[0],
        value: emf[directive.Metrics[0].Name],
      };
    });
    expect(written).toEqual([
      { metric: "StepSucceeded", dimensions: ["service", "detailType"], value: 1 },
      { metric: "ServerError", dimensions: ["service", "route"], value: 1 },
      { metric: "StreamBatchSucceeded", dimensions: ["service"], value: 1 },
    ]);
  });
});
