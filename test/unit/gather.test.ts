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

  it("answers a later call of the same key after every caller of the earlier one's batch", async () => {
    const answered: string[] = [];
    const call = gathered({
      windowMs: 5,
      maxSize: 25,
      keyOf: (item: { key: string; n: number }) => item.key,
      write: async (items) => items.map(({ key, n }) => `${key}:${n}`),
    });
    const answer = async (key: string, n: number) => {
      answered.push(await call({ key, n }));
      busyFor(2);
    };

    const firstBatch = ["a", "b", "c", "d", "k"].map((key) => answer(key, 1));
    await Promise.all([...firstBatch, answer("k", 2)]);

    expect(answered.at(-1)).toBe("k:2");
    expect(answered.indexOf("k:1")).toBeLessThan(answered.indexOf("k:2"));
  });
});
