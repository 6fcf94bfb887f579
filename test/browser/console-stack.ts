import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { demoEventId } from "../../infra/local/demo-event.ts";

export interface BrowserStack {
  consoleUrl: string;
  api: string;
  adminToken: string;
  outboxDir: string;
}

/**
 * The console and the public pages as organisers and registrants get them: the `npm start` of the
 * browser project's global setup (`test/browser/global-setup.ts`), once it serves the demo event;
 * what it printed if it failed to start.
 */
export async function browserStack(): Promise<BrowserStack> {
  const { api, adminToken, outboxDir, failedFile } = inject("browserStack");
  const deadline = Date.now() + 90_000;
  for (;;) {
    // Its HTTP edge serves before the demo event is seeded: that event is the sign it is ready.
    const ready = await fetch(`${api}/events/${demoEventId}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { consoleUrl: `${api}/console/`, api, adminToken, outboxDir };
    const failed = await readFile(failedFile, "utf8").catch(() => undefined);
    if (failed !== undefined) throw new Error(failed);
    if (Date.now() > deadline) throw new Error("npm start did not serve within 90 s");
    await sleep(200);
  }
}
