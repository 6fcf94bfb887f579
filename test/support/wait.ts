import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { pollPauses } from "./poll.ts";

/** Polls `read` until `done` holds of its value (what arrives through the bus arrives later). */
export async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (const pause of pollPauses()) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(pause);
  }
  throw new Error("unreachable: pollPauses never ends");
}

/**
 * Waits until the local bus has run `ticks` more ticks of every schedule and has nothing left to
 * deliver, including what those deliveries published: after it, whatever was going to be sent was.
 */
export async function busSettled(ticks = 0): Promise<void> {
  const response = await fetch(`${inject("bus")}/_local/settled?ticks=${ticks}`);
  if (!response.ok) throw new Error(`the local bus answered ${response.status}`);
}
