// The entry of a worker thread that runs a TypeScript module (`workerData.entry`, a file URL).
// Under tsx (`npm start`, the scripts) the thread inherits tsx's loader and imports it as it is;
// where no loader is registered (Vitest's workers) it registers tsx's first.
import { workerData } from "node:worker_threads";

try {
  await import(workerData.entry);
} catch (error) {
  if (error?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
  const { register } = await import("tsx/esm/api");
  register();
  // Another URL: the failed import of the first is cached as failed.
  await import(`${workerData.entry}?tsx`);
}
