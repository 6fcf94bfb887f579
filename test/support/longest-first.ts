import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The test files that take longest (real processes, the browser journey), started first. Vitest
 * orders a fresh clone's files (no timing cache yet, as in CI) by file size, which can leave a
 * minute-long file for the end of the run, when the other workers have nothing left to do.
 * A scheduling hint only: a file missing from the list runs in Vitest's own order after these.
 */
const longestFirst = [
  "test/integration/npm-start-stops.test.ts",
  "test/integration/npm-start.test.ts",
  "test/browser/registrant-pages.test.ts",
  "test/browser/console-axe.test.ts",
  "test/browser/console.test.ts",
  "test/browser/console-branding.test.ts",
  "test/integration/cli.test.ts",
  "test/integration/event-changes.test.ts",
  "test/integration/privacy-erasure.test.ts",
  "test/integration/organiser-api.test.ts",
  "test/integration/crash-leases.test.ts",
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = longestFirst.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? longestFirst.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
