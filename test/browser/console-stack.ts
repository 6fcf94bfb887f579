import { inject } from "vitest";

export interface BrowserStack {
  consoleUrl: string;
  api: string;
  adminToken: string;
  outboxDir: string;
}

/**
 * The console and the public pages as organisers and registrants get them: the run's local stack
 * (`test/support/local-stack-setup.ts`, shared with the integration files), which serves the
 * console at /console/ as `npm start` does.
 */
export async function browserStack(): Promise<BrowserStack> {
  const api = inject("api");
  return {
    consoleUrl: `${api}/console/`,
    api,
    adminToken: inject("adminToken"),
    outboxDir: inject("outboxDir"),
  };
}
