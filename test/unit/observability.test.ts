import { afterEach, describe, expect, it, vi } from "vitest";

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
