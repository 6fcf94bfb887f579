import { describe, expect, it } from "vitest";
import { runPool } from "../../shared/pool.ts";

describe("the pool that sends a page of reminders", () => {
  it("keeps at most `limit` in flight and lets the others finish when one fails", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const work = async (item: number) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      if (item === 3) throw new Error("SES said no");
      return item;
    };

    const { settled, started } = await runPool([1, 2, 3, 4, 5, 6, 7], 3, work);

    expect(started).toBe(7);
    expect(mostInFlight).toBe(3);
    expect(settled.filter((result) => result.status === "fulfilled")).toHaveLength(6);
    expect(settled.filter((result) => result.status === "rejected")).toHaveLength(1);
  });

  it("starts nothing more once told to stop, and reports how far it got", async () => {
    const done: number[] = [];

    const { started } = await runPool(
      [1, 2, 3, 4, 5],
      1,
      async (item) => {
        done.push(item);
      },
      () => done.length < 2,
    );

    expect(started).toBe(2);
    expect(done).toEqual([1, 2]);
  });
});
