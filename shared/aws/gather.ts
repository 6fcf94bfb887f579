/**
 * Gathers the calls that concurrent tasks of one process make one by one at a steady pace (a
 * sender's claims and outcomes: one of each a mail) for up to `windowMs`, or until `maxSize`
 * wait, and hands them to `write` together: one request a batch instead of one an item. Each call
 * settles with its own answer from `write` (in the order of the items it was given), or rejects
 * with its batch's error. Two calls with one key never share a batch (DynamoDB refuses two
 * operations on one item in one request), and the later one waits until the earlier one's batch
 * has settled: they reach the table in the order they were made.
 */
export function gathered<Item, Result>(options: {
  windowMs: number;
  maxSize: number;
  keyOf: (item: Item) => string;
  write: (items: Item[]) => Promise<Result[]>;
}): (item: Item) => Promise<Result> {
  interface Waiting {
    item: Item;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }
  let batch = new Map<string, Waiting>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The batch each key is in while it is written, for a later call of the same key to wait for. */
  const writing = new Map<string, Promise<unknown>>();

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const written = [...batch.values()];
    const writtenKeys = [...batch.keys()];
    batch = new Map();
    const settled = options.write(written.map(({ item }) => item)).then(
      async (results) => {
        for (const [index, { resolve }] of written.entries()) {
          // One caller per turn of the event loop: what each does next (a claimed send composes its
          // message, ~1 ms of CPU) runs before the next one is answered, with the timers due in
          // between. Answered all at once, ten to twenty-five callers' work ran as one task of
          // 10–25 ms, and the mailer's sending slots, which must fire within 10 ms of their time,
          // came late and were lost.
          if (index > 0) await new Promise((next) => setImmediate(next));
          resolve(results[index] as Result);
        }
      },
      (error: unknown) => {
        for (const { reject } of written) reject(error);
      },
    );
    for (const key of writtenKeys) writing.set(key, settled);
    void settled.then(() => {
      for (const key of writtenKeys) if (writing.get(key) === settled) writing.delete(key);
    });
  };

  return async (item: Item): Promise<Result> => {
    const key = options.keyOf(item);
    // A call of a key already waiting or being written goes after it: flushed, then waited for.
    for (;;) {
      if (batch.has(key)) flush();
      const earlier = writing.get(key);
      if (!earlier) break;
      await earlier;
    }
    return new Promise<Result>((resolve, reject) => {
      batch.set(key, { item, resolve, reject });
      if (batch.size >= options.maxSize) flush();
      else timer ??= setTimeout(flush, options.windowMs);
    });
  };
}
