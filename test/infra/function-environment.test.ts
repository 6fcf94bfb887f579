import { beforeAll, describe, expect, it } from "vitest";
import { functions } from "../../infra/wiring.ts";
import { allFunctionCode, type FunctionCode } from "./function-code.ts";

/**
 * The modules that read their settings from the environment at cold start, and the wiring access
 * that sets those variables on AWS. The local runtime gives every function every variable, so only
 * this test can see a function that would fail its cold start once deployed.
 */
const settingsReaders = {
  "shared/aws/dynamo.ts": "table",
  "shared/bus/publish.ts": "bus",
  "shared/mail/settings.ts": "mail",
  "shared/pages/public-url.ts": "publicUrl",
  // Read by `rateLimitsFromEnv`: without it on AWS, the default limit instead of the deployment's.
  "shared/abuse/rate-limits.ts": "rateLimited",
} as const;

let code: Map<string, FunctionCode>;

beforeAll(async () => {
  code = await allFunctionCode(functions);
});

describe("each function's environment", () => {
  it.each(functions.map((spec) => [spec.name, spec] as const))(
    "%s is given every variable its code reads at cold start",
    (_name, spec) => {
      const modules = code.get(spec.name)?.modules ?? new Set();
      const needed = Object.entries(settingsReaders)
        .filter(([module]) => modules.has(module))
        .map(([, access]) => access);

      for (const access of needed)
        expect(spec.access[access], `${spec.name} reads ${access} settings`).toBeTruthy();
    },
  );
});
