import { defineConfig } from "vitest/config";
import LongestFirst from "./test/support/longest-first.ts";

// The SDK warns on every client in every worker that its 2027 releases will need Node.js 22; the
// README says so once. Set here so that the global setup and the workers inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export default defineConfig({
  test: {
    // The functions' logger (Powertools) writes through the global console in dev mode, where
    // tests can watch it, instead of a private Console of its own.
    env: { POWERTOOLS_DEV: "true" },
    // Most test time is waiting on the local services (mail pacing, the bus, child processes), not
    // CPU: more files in flight than the 2 cores finishes the run sooner.
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
    // A worker runs file after file instead of a new process per file: the packages every file
    // imports (the AWS SDK, zod, Powertools, the CDK) load once per worker, not once per file (the
    // unit project: 12 s of CPU instead of 28). Each file still gets the project's own modules
    // anew and the environment as it was (test/support/fresh-modules.ts): a file's variables,
    // mocks and module state do not reach the next.
    isolate: false,
    setupFiles: ["test/support/fresh-modules.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        // Synthesizing the template (in beforeAll) takes seconds, more on a busy machine.
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/support/local-stack-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // The browser files, side by side, each with its own Chromium, on the run's one stack.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/support/local-stack-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // What the page shows after a request can take seconds on a busy machine, not one.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
