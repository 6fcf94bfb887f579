import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { accessibilityViolations, inBrowser, openBrowser, type TestBrowser } from "./browser.ts";
import { type BrowserStack, browserStack } from "./console-stack.ts";

const report = fileURLToPath(new URL("../fixtures/attendance/generic-comma-en-bom.csv", import.meta.url));

/**
 * axe-core on every page of the console, each showing data: an event of this file's own with an
 * organiser's question, three registrants (two of them in the attendance report), an imported
 * report and a mailing sent, all made through the API (the journey of console.test.ts makes the
 * same through the pages, side by side with this file).
 */
describe("organiser console, accessibility", () => {
  let stack: BrowserStack;
  let browser: TestBrowser;
  let page: Page;
  const eventId = uniqueId("browser-axe");
  let mailingId = "";

  const api = async (
    method: string,
    path: string,
    body?: string | Uint8Array | object,
    contentType = "application/json",
  ) => {
    const response = await fetch(`${stack.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": contentType },
      body:
        body === undefined || typeof body === "string" || body instanceof Uint8Array
          ? body
          : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([browserStack(), openBrowser()]);
    page = browser.page;
    // At a load of 12 on 2 cores, a console page once took over 10 s to show its heading.
    page.setDefaultTimeout(20_000);
    await api("PUT", `/admin/events/${eventId}`, {
      ...sampleEvent(),
      form: {
        questions: [
          {
            id: "role",
            type: "single-choice",
            required: false,
            label: { fr: "Votre rôle", en: "Your role" },
            choices: [
              { id: "elected", label: { fr: "Élu·e", en: "Elected official" } },
              { id: "staff", label: { fr: "Agent·e", en: "Staff member" } },
            ],
          },
        ],
      },
    });
    // Two people of the attendance report (who attended) and one who is not in it (absent).
    for (const email of ["amal.testfixture@example.org", "jonas.placeholder@example.net", undefined]) {
      await api("POST", `/events/${eventId}/registrations`, registrant(email ? { email } : {}));
    }
    await api("POST", `/admin/events/${eventId}/sessions/fr/attendance`, await readFile(report), "text/csv");
    ({ mailingId } = (await api("POST", `/admin/events/${eventId}/mailings`, {
      name: "Thank you",
      segment: {},
      subject: { fr: "Merci de votre venue", en: "Thank you for coming" },
      body: { fr: "Bonjour {{firstName}}", en: "Hello {{firstName}}" },
    })) as { mailingId: string });
    await api("POST", `/admin/events/${eventId}/mailings/${mailingId}/send`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("passes axe-core on every page, in English and French, at 1280 and 390 px wide", async () => {
    const base = `events/${eventId}`;
    const paths = [
      "",
      "events/new",
      base,
      `${base}/registrations`,
      `${base}/attendance`,
      `${base}/mailings`,
      `${base}/mailings/new`,
      `${base}/mailings/${mailingId}`,
      `${base}/reminders`,
      `${base}/settings`,
    ];
    await page.goto(`${stack.consoleUrl}#token=${stack.adminToken}`);
    await page.getByRole("navigation").getByRole("link", { name: "Events", exact: true }).waitFor();
    // First, proof that the check sees the console: a field without a label is found, by the copy
    // of axe-core a first check left in the page, as the checks of each page's languages and
    // widths below use it.
    await page.goto(`${stack.consoleUrl}events/new`);
    await page.locator("h1").waitFor();
    await accessibilityViolations(page, { layoutOnly: true });
    await page.evaluate(inBrowser('document.querySelector("main").append(document.createElement("input"))'));
    expect((await accessibilityViolations(page)).join("\n")).toContain("label");

    const found: string[] = [];
    // The first page is a new document (without the field added above); the others are opened as
    // the console's links open them, by its router in that document, whose copy of axe-core then
    // checks them all warm: a new document per page cost a start of the app and a copy of axe-core
    // run cold (~1 s of the browser's CPU each).
    await page.goto(`${stack.consoleUrl}${paths[0]}`);
    for (const path of paths) {
      if (path !== paths[0]) await openInTheConsole(page, `${stack.consoleUrl}${path}`);
      await page
        .locator("h1:not([data-left])")
        .waitFor()
        .catch((error: unknown) => {
          throw new Error(`/${path} shows no heading`, { cause: error });
        });
      await expect.poll(() => page.getByText("Loading…").count()).toBe(0);
      found.push(...(await checkLanguagesAndWidths(page, path)));
    }
    await page.getByRole("button", { name: /Sign out|Se déconnecter/ }).click();
    await page.getByRole("heading", { name: /Sign in|Connexion/ }).waitFor();
    found.push(...(await checkLanguagesAndWidths(page, "sign-in", false)));

    expect(found).toEqual([]);
  }, 300_000);
});

/**
 * Goes to `url` as a link of the console does: the router's history entry and its `popstate`, no
 * new document. The heading of the page left is marked, so that the wait for the next page's
 * heading cannot be met by it.
 */
async function openInTheConsole(page: Page, url: string): Promise<void> {
  await page.evaluate(
    inBrowser(`(() => {
      document.querySelector("h1")?.setAttribute("data-left", "");
      history.pushState(null, "", ${JSON.stringify(url)});
      dispatchEvent(new PopStateEvent("popstate"));
    })()`),
  );
}

/** The page in each language and at each width, without reloading: the console switches in place. */
async function checkLanguagesAndWidths(page: Page, path: string, signedIn = true): Promise<string[]> {
  const found: string[] = [];
  for (const language of ["en", "fr"]) {
    if (signedIn) {
      await page.locator("header select").selectOption(language);
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe(language);
    } else {
      await page.evaluate(inBrowser(`localStorage.setItem("convene.language", "${language}")`));
      await page.reload();
      await page.locator("h1").waitFor();
    }
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const violation of await accessibilityViolations(page, { layoutOnly: width !== 1280 })) {
        found.push(`/${path} (${language}, ${width} px): ${violation}`);
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // Back to English for the next page. Only where the header's choice is: the sign-in page has
  // none, and a locator that never appears waits out the whole default timeout (20 s a run).
  if (signedIn) await page.locator("header select").selectOption("en");
  return found;
}
