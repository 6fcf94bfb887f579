import { describe, expect, it } from "vitest";
import { gathered } from "../../shared/aws/gather.ts";

/** Keeps the CPU busy, as a caller composing a message does. */
const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("gathered calls", () => {
  it("answers each caller with its own result, one caller per turn of the event loop, with the timers due in between", async () => {
    const events: string[] = [];
    const call = gathered({
      windowMs: 50,
      maxSize: 3,
      keyOf: (item: number) => String(item),
      write: async (items) => {
        // A timer due while the callers work: a sending slot of the mailer, say.
        setTimeout(() => events.push("timer"), 1);
        return items.map((item) => item * 10);
      },
    });

    const results = await Promise.all(
      [1, 2, 3].map(async (item) => {
        const result = await call(item);
        events.push(`caller ${item}`);
        busyFor(5);
        return result;
      }),
    );

    expect(results).toEqual([10, 20, 30]);
    // Answered all at once, the three callers' 15 ms of work ran before the timer.
    expect(events.indexOf("timer")).toBeGreaterThan(-1);
    expect(events.indexOf("timer")).toBeLessThan(events.indexOf("caller 3"));
  });
});
