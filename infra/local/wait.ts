import { setTimeout as sleep } from "node:timers/promises";

/** Retries `attempt` until it resolves, failing with the last error once `timeoutMs` has passed. */
export async function waitUntil(
  attempt: () => Promise<unknown>,
  options: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${options.what}`, { cause: error });
      }
      await sleep(options.intervalMs ?? 100);
    }
  }
}
