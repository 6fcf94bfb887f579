import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEventId } from "../../infra/local/demo-event.ts";
import { manageLinkIn, waitForMails } from "../support/outbox.ts";
import { uniqueId } from "../support/sample-event.ts";
import {
  accessibilityViolations,
  chooseFirstSession,
  inBrowser,
  openBrowser,
  type TestBrowser,
} from "./browser.ts";
import { type BrowserStack, browserStack } from "./console-stack.ts";

/** Where the screenshots go (git-ignored): `<page>-<language>-<width>.png`, for people to look at. */
const screenshots = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

/** A laptop's screen and a phone's (an iPhone 12 to 15's CSS pixels). */
const viewports = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** Longer than the registration form's minimum fill time (3 s), as a person filling it takes. */
const personFillingTheFormMs = 3_500;

/** A 1×1 grey PNG, in place of the images of other origins (the demo event's logos and banner). */
const placeholderImage = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * What a registrant sees, in each language at a laptop's width and a phone's: the demo event's
 * registration form, the thank-you page its post returns, the manage page of the confirmation
 * mail's link, the public event page and that mail's HTML. A screenshot of each, and the layout
 * problems a person would notice, whatever the design: a page that scrolls sideways, text cut by
 * the screen's edge, the session choice below the fold of a laptop, and axe-core's WCAG 2.2 A/AA
 * rules (every rule at 1280 px, the rules that depend on the layout at 390 px, as the console's
 * check does). One Chromium, a tab per language, on the run's shared local stack.
 */
describe.concurrent("registrant pages and mails in a browser", () => {
  let stack: BrowserStack;
  let browser: TestBrowser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      browserStack(),
      openBrowser(),
      mkdir(screenshots, { recursive: true }),
    ]);
    // No network beyond the stack: another origin's image is drawn as a grey box, anything else
    // from elsewhere fails at once instead of waiting for a DNS answer.
    await browser.context.route(
      (url) => url.hostname !== "127.0.0.1",
      (route) =>
        route.request().resourceType() === "image"
          ? route.fulfill({ contentType: "image/png", body: placeholderImage })
          : route.abort(),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("sees a page that scrolls sideways, text cut by the screen's edge and a session choice below the fold", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewports[0]);
    await page.goto(`${stack.api}/events/${demoEventId}/register?lang=en`);
    // A banner 900 px high above everything, and a line that starts 20 px before the right edge.
    await page.evaluate(
      inBrowser(`(() => {
        const banner = document.createElement("div");
        banner.style.height = "900px";
        const line = document.createElement("p");
        line.textContent = "A line that runs off the screen";
        line.style.cssText = "white-space: nowrap; margin-left: 1260px";
        document.body.prepend(banner, line);
      })()`),
    );
    const found = await layoutProblems(page, "form", viewports[0], true);
    await page.close();

    expect(found).toEqual([
      expect.stringMatching(/^form: scrolls sideways/),
      `form: text cut by the screen's edge: "A line that runs off the screen"`,
      expect.stringMatching(/^form: the session choice ends \d+ px down, below the fold$/),
    ]);
  });

  for (const language of ["fr", "en", "ar"] as const) {
    it(`in ${language}: the form, the thank-you page, the manage page, the event page and the confirmation mail`, {
      // Five pages, each shot and checked at two widths, with the other languages at once on two cores.
      timeout: 240_000,
    }, async () => {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(15_000);
      const found: string[] = [];
      const check = async (name: string) => found.push(...(await checkLayout(page, name, language)));

      const formLoaded = Date.now();
      await page.goto(`${stack.api}/events/${demoEventId}/register?lang=${language}`);
      await check("form");

      const email = `${uniqueId(`screens-${language}`)}@example.org`;
      await page.setViewportSize(viewports[0]);
      await chooseFirstSession(page);
      await page.locator("[name=email]").fill(email);
      await page.locator("[name=firstName]").fill("Amina");
      await page.locator("[name=lastName]").fill("Benali");
      await page.locator("[name=organisation]").fill("Ville de Marseille");
      await page.locator("[name=organisationType]").selectOption("local-government");
      await page.locator("[name=country]").selectOption("FR");
      await page.locator("label[for=field-consent]").click();
      await page.waitForTimeout(Math.max(0, formLoaded + personFillingTheFormMs - Date.now()));
      const [result] = await Promise.all([
        page.waitForNavigation(),
        page.locator("button[type=submit]").click(),
      ]);
      expect(result?.status(), "the registration's answer").toBeLessThan(300);
      await check("result");

      const [confirmation] = await waitForMails(stack.outboxDir, email);
      const manageLink = confirmation && manageLinkIn(confirmation);
      expect(manageLink, "the confirmation's manage link").toBeDefined();
      await page.goto(manageLink as string);
      await check("manage");

      await page.goto(`${stack.api}/events/${demoEventId}?lang=${language}`);
      await check("event");

      // The mail as a mail client shows it: its HTML alone, in a blank page of no origin's policy.
      await page.goto("about:blank");
      await page.setContent(String(confirmation?.parsed.html));
      await check("mail");
      await page.close();

      expect(found).toEqual([]);
    });
  }
});

/** The page at each width: its screenshot, then what is wrong, as lines naming the page, the language and the width. */
async function checkLayout(page: Page, name: string, language: string): Promise<string[]> {
  const found: string[] = [];
  const html = page.locator("html");
  const [lang, dir] = [await html.getAttribute("lang"), await html.getAttribute("dir")];
  if (lang !== language) found.push(`${name} (${language}): <html lang="${lang}">`);
  if (language === "ar" && dir !== "rtl") found.push(`${name} (ar): not right to left (dir="${dir}")`);
  for (const viewport of viewports) {
    const where = `${name} (${language}, ${viewport.width} px)`;
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: join(screenshots, `${name}-${language}-${viewport.width}.png`),
      fullPage: true,
    });
    found.push(...(await layoutProblems(page, where, viewport, name === "form")));
    for (const violation of await accessibilityViolations(page, { layoutOnly: viewport.width !== 1280 })) {
      found.push(`${where}: ${violation}`);
    }
  }
  return found;
}

/**
 * A page that scrolls sideways, text cut by the screen's edge, and on a form at the laptop's
 * width, a session choice below the fold (on a phone it comes after the summary, within a
 * screen's scroll: not a fixed number of pixels).
 */
async function layoutProblems(
  page: Page,
  where: string,
  viewport: (typeof viewports)[number],
  form: boolean,
): Promise<string[]> {
  const found: string[] = [];
  const layout = (await page.evaluate(inBrowser(layoutScript))) as Layout;
  if (layout.scrollWidth > layout.viewportWidth)
    found.push(`${where}: scrolls sideways (${layout.scrollWidth} px wide)`);
  for (const text of layout.cutByTheEdge) found.push(`${where}: text cut by the screen's edge: "${text}"`);
  if (form && viewport.width === 1280) {
    if (layout.sessionChoiceBottom === null) found.push(`${where}: no session choice`);
    else if (layout.sessionChoiceBottom > viewport.height)
      found.push(
        `${where}: the session choice ends ${Math.round(layout.sessionChoiceBottom)} px down, below the fold`,
      );
  }
  return found;
}

interface Layout {
  scrollWidth: number;
  viewportWidth: number;
  /** The first text of each node whose visible part crosses the left or the right edge. */
  cutByTheEdge: string[];
  /** How far down the page the first session's choice (its radio or its label) ends, if any. */
  sessionChoiceBottom: number | null;
}

/**
 * Measured in the page. Text is "cut by the edge" when what is visible of it (within the boxes
 * that clip it, below the body) straddles the left or the right edge of the viewport; text wholly
 * outside it is hidden on purpose (a skip link until focused, the form's trap for scripts) and a
 * box that clips text (a table scrolling in its own region) keeps it in view.
 */
const layoutScript = `(() => {
  const root = document.documentElement;
  const viewportWidth = root.clientWidth;
  const cutByTheEdge = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !node.parentElement.checkVisibility({ visibilityProperty: true })) continue;
    let clip = { left: -Infinity, right: Infinity };
    for (let box = node.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX !== "visible" || style.clip !== "auto" || style.clipPath !== "none") {
        const rect = box.getBoundingClientRect();
        clip = { left: Math.max(clip.left, rect.left), right: Math.min(clip.right, rect.right) };
      }
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    const cut = [...range.getClientRects()].some((rect) => {
      const left = Math.max(rect.left, clip.left);
      const right = Math.min(rect.right, clip.right);
      if (right - left < 1 || rect.height === 0) return false;
      return (left < -1 && right > 1) || (left < viewportWidth - 1 && right > viewportWidth + 1);
    });
    if (cut) cutByTheEdge.push(text.slice(0, 60));
  }
  const session = document.querySelector("[name=sessionId]");
  let sessionChoiceBottom = null;
  if (session) {
    const own = session.getBoundingClientRect();
    const shown = own.width > 1 && own.height > 1 ? session : (session.labels?.[0] ?? session);
    sessionChoiceBottom = shown.getBoundingClientRect().bottom + window.scrollY;
  }
  return { scrollWidth: root.scrollWidth, viewportWidth: root.clientWidth, cutByTheEdge, sessionChoiceBottom };
})()`;
