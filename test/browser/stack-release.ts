import { appendFile } from "node:fs/promises";
import { afterAll, inject } from "vitest";

/**
 * Run before each browser file: once the file is done, it says so to the browser project's global
 * setup (`test/browser/global-setup.ts`), which stops the shared `npm start` when every browser file
 * of the run has.
 */
afterAll(async () => {
  await appendFile(inject("browserStack").doneFile, "done\n");
});
