import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/**
 * Debian's Chromium, as `.ci/run` installs it: nothing is downloaded by the tests. Its headless
 * shell when installed (`chromium-headless-shell`, the same Blink without the browser around it,
 * what Playwright itself runs headless): `console-axe` alone took ~13 % less CPU and ~7 % less time
 * than with the full browser (2 pairs, 2026-11-30, load 5–6), the browser files pass alike.
 */
const executablePath =
  process.env.CONVENE_CHROMIUM ??
  (existsSync("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium");

/** No network of its own, no GPU, no sandbox (containers run as root), nothing kept between runs. */
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** One headless Chromium with a fresh profile, and one page reused by the steps of a test file. */
export async function openBrowser(locale = "en-GB"): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), "convene-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: flags,
    locale,
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The rules whose outcome depends on the layout, not only on the document: contrast (what lies
 * behind a text), target size (WCAG 2.2) and regions that overflow and must take the focus.
 */
const layoutRules = ["color-contrast", "target-size", "scrollable-region-focusable"];

/**
 * The WCAG 2.2 A and AA rules of axe-core; what it finds, as lines a failed assertion shows. The
 * sandboxed preview of a mail is left out: it runs no script, so axe cannot enter it, and it shows
 * the mail (checked by the mail's own tests), not the console. `layoutOnly`: the layout rules only,
 * for a second width of a page whose document is the same at both widths (the console's narrow
 * layout only changes spacing, `console/src/styles.css`), where every other rule would find the
 * same as at the first width.
 */
export async function accessibilityViolations(page: Page, { layoutOnly = false } = {}): Promise<string[]> {
  // axe-core goes into a document once: AxeBuilder puts a fresh copy of it in the page (twice) at
  // each check, which then runs cold (a check with every rule: ~0.85 s against ~0.3 s with the
  // copy already there). The console switches language and width in place: one copy for its four
  // checks of a page. A check in a new document brings its own copy.
  const axeInPage = await page.evaluate(inBrowser('typeof window.axe?.run === "function"'));
  // Only violations are needed: listing every passing node too doubles the time of a run. First:
  // `options` replaces every option, the rules chosen by `withRules`/`withTags` included (set
  // after them, it made axe run all its rules, best practices too, at both widths).
  const builder = new AxeBuilder(axeInPage ? { page, axeSource: ";" } : { page }).options({
    resultTypes: ["violations"],
  });
  const results = await (layoutOnly
    ? builder.withRules(layoutRules)
    : builder.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
  )
    .exclude("iframe[sandbox]")
    // One axe.run in the page itself: the default finishes each run in a new blank page, several
    // times slower, for the sake of cross-origin frames, which the console has none of.
    .setLegacyMode(true)
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
        .map((node) => node.target.join(" "))
        .join(", ")}`,
  );
}

/**
 * Code run in the page, written as text: the tests are compiled without the DOM's types, which
 * would change Node's own (fetch bodies) for every other test. (Not `waitForFunction`: the
 * console's policy forbids the `eval` it relies on.)
 */
export const inBrowser = (expression: string) => expression;

/**
 * Chooses the form's first session as a person does, by its card (the label, which covers the
 * radio button), and checks that the choice took.
 */
export async function chooseFirstSession(page: Page): Promise<void> {
  const radio = page.locator("[name=sessionId]").first();
  await page.locator(`label[for="${await radio.getAttribute("id")}"]`).click();
  if (!(await radio.isChecked())) throw new Error("clicking the first session's card did not choose it");
}
