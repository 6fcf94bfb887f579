/**
 * Runs `work` over `items` with at most `limit` in flight, starting each next item only while
 * `mayStart()` allows it. Every started item settles before this resolves (nothing is left running
 * behind the caller's back), and one failure does not stop the others: a registrant whose mail
 * failed must not cost the rest of the page their reminder.
 */
export async function runPool<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<Result>,
  mayStart: () => boolean = () => true,
): Promise<{ settled: PromiseSettledResult<Result>[]; started: number }> {
  const settled: PromiseSettledResult<Result>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && mayStart()) {
      const item = items[next++] as Item;
      try {
        settled.push({ status: "fulfilled", value: await work(item) });
      } catch (reason) {
        settled.push({ status: "rejected", reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return { settled, started: next };
}
