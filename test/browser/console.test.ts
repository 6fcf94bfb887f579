import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForMails } from "../support/outbox.ts";
import { uniqueId } from "../support/sample-event.ts";
import { chooseFirstSession, openBrowser, type TestBrowser } from "./browser.ts";
import { type BrowserStack, browserStack } from "./console-stack.ts";

let consoleUrl: string;
let api: string;
let outboxDir: string;
let adminToken: string;
const report = fileURLToPath(new URL("../fixtures/attendance/generic-comma-en-bom.csv", import.meta.url));

/** Longer than the registration form's minimum fill time (3 s), as a person filling it takes. */
const personFillingTheFormMs = 3_500;

/** Two people of the attendance fixture (who attended) and one who is not in it (absent). */
const people = [
  {
    firstName: "Amal",
    lastName: "Testfixture",
    email: "amal.testfixture@example.org",
    organisation: "Ville de Tunis",
  },
  {
    firstName: "Jonas",
    lastName: "Placeholder",
    email: "jonas.placeholder@example.net",
    organisation: "Stadt Berlin",
  },
  {
    firstName: "Zoé",
    lastName: "Absente",
    email: `${uniqueId("zoe")}@example.org`,
    organisation: "Ville de Sfax",
  },
];

/**
 * The organiser's journey in a real headless Chromium, step by step on one page as a person would
 * go: each step starts where the previous one left the console. (axe-core's sweep of every page
 * is console-axe.test.ts, run side by side with this file on the same stack.)
 */
describe("organiser console", () => {
  let browser: TestBrowser;
  let page: Page;
  const eventId = uniqueId("browser");
  /** What the browser's console said as an error along the journey (a script error, a CSP report). */
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    let stack: BrowserStack;
    [stack, browser] = await Promise.all([browserStack(), openBrowser()]);
    ({ consoleUrl, api, outboxDir, adminToken } = stack);
    page = browser.page;
    page.setDefaultTimeout(10_000);
    page.on("console", (message) => {
      if (message.type() === "error")
        consoleErrors.push(`${message.text()} @ ${JSON.stringify(message.location())}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const nav = (name: string) => page.getByRole("navigation").getByRole("link", { name, exact: true });

  it("signs in with the link npm start prints, and takes the token out of the address bar at once", async () => {
    await page.goto(`${consoleUrl}#token=${adminToken}`);

    await expect.poll(() => nav("Events").isVisible()).toBe(true);
    expect(page.url()).toBe(consoleUrl);
  });

  it("creates an event, showing a problem next to its field, with the start typed in the session's time zone", async () => {
    await page.getByRole("link", { name: "New event" }).click();
    await page.getByLabel("Event id").fill(eventId);
    await page.getByLabel("Title in French").fill("Webinaire du navigateur");
    await page.getByLabel("Title in English").fill("Browser webinar");
    await page.getByLabel("Description in French").fill("Une description");
    await page.getByLabel("Description in English").fill("A description");
    await page.getByLabel("Organiser's name in French").fill("CGLU et UNICEF");
    await page.getByLabel("Organiser's name in English").fill("UCLG and UNICEF");
    await page.getByLabel("Organiser's email").fill("organisers@example.org");
    // The event's own question, which the public form then asks (required, one of two choices).
    await page.getByRole("button", { name: "Add a question" }).click();
    await page.getByLabel("Question id").fill("role");
    await page.getByLabel("Kind of answer").selectOption({ label: "One choice" });
    await page.getByLabel("An answer is required").check();
    await page.getByLabel("Question in French").fill("Votre rôle");
    await page.getByLabel("Question in English").fill("Your role");
    for (const [number, [fr, en]] of [
      ["Élu·e", "Elected official"],
      ["Agent·e", "Staff member"],
    ].entries()) {
      await page.getByLabel(`Id of choice ${number + 1}`).fill(`choice-${number + 1}`);
      await page.getByLabel(`Choice ${number + 1} in French`).fill(fr as string);
      await page.getByLabel(`Choice ${number + 1} in English`).fill(en as string);
    }
    await page.getByLabel("Start").fill("2030-03-04T10:00");
    await page.getByLabel("Join link (sent to registrants only)").fill("not a link");
    await page.getByRole("button", { name: "Create the event" }).click();

    const joinUrl = page.getByLabel("Join link (sent to registrants only)");
    await expect.poll(() => joinUrl.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("must be an http(s) URL").isVisible()).toBe(true);

    await joinUrl.fill("https://webinar.example.org/j/browser");
    await page.getByRole("button", { name: "Create the event" }).click();
    await page.getByRole("heading", { level: 1, name: "Statistics: Browser webinar" }).waitFor();
    const saved = await fetch(`${api}/admin/events/${eventId}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((response) => response.json() as Promise<{ sessions: unknown; form: unknown }>);
    // The browser is in Paris: 10:00 there on 4 March 2030 is 09:00 UTC.
    expect(saved.sessions).toMatchObject([
      { id: "fr", startsAt: "2030-03-04T09:00:00Z", timezone: "Europe/Paris" },
    ]);
    expect(saved.form).toMatchObject({
      questions: [{ id: "role", type: "single-choice", required: true, label: { en: "Your role" } }],
    });

    await nav("Events").click();
    const upcoming = page.getByRole("region", { name: "Upcoming" });
    await upcoming.getByRole("link", { name: "Browser webinar" }).click();
    await page.getByRole("heading", { level: 1, name: "Statistics: Browser webinar" }).waitFor();
  });

  it("lists people registered through the public form, narrows them by search, and exports them as CSV and Excel", async () => {
    // Three people fill the form at once, each in a tab, and send it after a person's time (the
    // form refuses a post that comes back sooner than someone could have filled it in).
    const forms = await Promise.all(people.map(() => browser.context.newPage()));
    const loadedAt = await Promise.all(
      people.map(async (person, index) => {
        const form = forms[index] as Page;
        await form.goto(`${api}/events/${eventId}/register?lang=en`);
        const loaded = Date.now();
        await chooseFirstSession(form);
        for (const field of ["email", "firstName", "lastName", "organisation"] as const) {
          await form.locator(`[name=${field}]`).fill(person[field]);
        }
        await form.locator("[name=organisationType]").selectOption("local-government");
        await form.locator("[name=country]").selectOption("TN");
        await form.locator("label", { hasText: "Staff member" }).click();
        await form.locator("label[for=field-consent]").click();
        return loaded;
      }),
    );
    // A person's time counts from the form's load: the filling above (seconds on a busy machine)
    // is part of it, so only what is left of it is waited for.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, Math.max(...loadedAt) + personFillingTheFormMs - Date.now())),
    );
    for (const form of forms) {
      await Promise.all([form.waitForNavigation(), form.locator("button[type=submit]").click()]);
      expect(await form.getByRole("heading", { level: 1 }).textContent()).toMatch(
        /registered|confirmed|Thank/i,
      );
      await form.close();
    }

    await page.goto(`${consoleUrl}events/${eventId}/registrations`);
    const rows = page.locator("table.data tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel("Search by name, email or organisation").fill("placeholder");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("jonas.placeholder@example.net");

    await page.getByLabel("Search by name, email or organisation").fill("");
    await expect.poll(() => rows.count()).toBe(3);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = await readFile((await download.path()) as string, "utf8");
    expect(download.suggestedFilename()).toBe(`${eventId}-registrations.csv`);
    for (const person of people) expect(csv).toContain(person.email);

    const [workbookDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export Excel (.xlsx)" }).click(),
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await workbookDownload.path()) as string);
    const emails = workbook.worksheets[0]?.getColumn(2).values;
    expect(emails).toEqual(expect.arrayContaining(people.map((person) => person.email)));
  });

  it("opens one registrant with the mails sent to them, cancels them after a confirmation, and restores them", async () => {
    const zoe = people[2] as (typeof people)[number];
    await page.getByRole("button", { name: `${zoe.firstName} ${zoe.lastName}` }).click();
    const panel = page.getByRole("region", { name: `${zoe.firstName} ${zoe.lastName}` });
    await expect.poll(() => panel.getByText(/^Confirmation: sent/).isVisible()).toBe(true);
    // The answer to the event's own question, under its label.
    expect(await panel.getByText("Staff member").isVisible()).toBe(true);

    await panel.getByRole("button", { name: "Cancel the registration" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(
      `Cancel the registration of ${zoe.firstName} ${zoe.lastName}?`,
    );
    await dialog.getByRole("button", { name: "Cancel the registration" }).click();
    await expect.poll(() => panel.getByRole("status").textContent()).toBe("The registration is cancelled.");
    const row = page.getByRole("row", { name: new RegExp(zoe.email) });
    await expect.poll(() => row.getByRole("cell", { name: "Cancelled" }).isVisible()).toBe(true);

    await panel.getByRole("button", { name: "Restore the registration" }).click();
    await expect.poll(() => row.getByRole("cell", { name: "Confirmed" }).isVisible()).toBe(true);
  });

  it("imports an attendance report and shows who came and who was not registered", async () => {
    await nav("Attendance").click();
    // The fixture's people, and one who came without registering (Marta, 0 minutes, never came).
    const withWalkIn = `${await readFile(report, "utf8")}Walk In,walk.in@example.org,Ville de Sfax,15\n`;
    await page
      .getByLabel("Attendance report")
      .setInputFiles({ name: "attendance.csv", mimeType: "text/csv", buffer: Buffer.from(withWalkIn) });
    await page.getByRole("button", { name: "Import" }).click();

    const summary = page.getByRole("heading", { name: "What the report says" });
    await expect.poll(() => summary.isVisible()).toBe(true);
    const figure = (label: string) => page.locator(".figures div").filter({ hasText: label }).locator("dd");
    expect(await figure("Registrants in the report").textContent()).toBe("2");
    expect(await figure("Absent").textContent()).toBe("1");
    expect(await page.getByRole("heading", { name: "1 person present but not registered" }).isVisible()).toBe(
      true,
    );
    expect(await page.getByRole("cell", { name: "walk.in@example.org" }).isVisible()).toBe(true);
    expect(await page.getByRole("cell", { name: "marta.sample@example.com" }).count()).toBe(0);
  });

  it("shows the statistics of the event, as a chart and as a table", async () => {
    await nav("Statistics").click();
    const row = page.getByRole("row", { name: /^fr / });
    // Registered, confirmed, waitlisted, cancelled, erased, attended, absent, rate.
    await expect.poll(() => row.textContent()).toBe("fr330002166.7%");
    expect(await page.locator("canvas[role=img]").count()).toBeGreaterThanOrEqual(2);
  });

  it("composes a mailing with a live count, previews it, sends a test copy, sends it, follows its progress to the end, and lists it", async () => {
    await nav("Mailings").click();
    await page.getByRole("link", { name: "New mailing" }).click();
    await page.getByLabel("Name of the mailing").fill("Thank you");
    await page.getByLabel("Subject in English").fill("Thank you for coming");
    await page.getByLabel("Message in English").fill("Hello {{firstName}},\n\nThank you for joining us.");
    await page.getByLabel("Subject in French").fill("Merci de votre venue");
    await page.getByLabel("Message in French").fill("Bonjour {{firstName}},\n\nMerci d'avoir participé.");
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "recipients now" }).textContent())
      .toBe("3 recipients now");
    await page.getByRole("button", { name: "Save the draft" }).click();

    await expect
      .poll(() => page.getByRole("heading", { level: 1, name: "Thank you" }).isVisible())
      .toBe(true);
    await page.getByLabel("Language of the preview").selectOption("en");
    const preview = page.frameLocator("iframe[sandbox]");
    await expect.poll(() => preview.getByText("Thank you for joining us.").isVisible()).toBe(true);

    const organiser = `${uniqueId("organiser")}@example.org`;
    await page.getByLabel("Send a test copy to").fill(organiser);
    await page.getByRole("button", { name: "Send the test copy" }).click();
    const [testCopy] = await waitForMails(outboxDir, organiser);
    expect(testCopy?.parsed.subject).toContain("Thank you for coming");

    await page.getByRole("button", { name: "Send…" }).click();
    const dialog = page.getByRole("alertdialog");
    expect(await dialog.getByRole("heading").textContent()).toBe("Send this mailing to 3 people?");
    await dialog.getByRole("button", { name: "Send to 3 people" }).click();

    const counts = page.locator("p.counts");
    expect(await counts.getAttribute("aria-live")).toBe("polite");
    await expect.poll(() => counts.textContent(), { timeout: 20_000 }).toContain("3 of 3 done: 3 sent");
    await expect.poll(() => page.locator(".badge").textContent(), { timeout: 10_000 }).toBe("Sent");
    await waitForMails(outboxDir, people[2]?.email ?? "", 2);

    await nav("Mailings").click();
    const listed = page.getByRole("row", { name: /^Thank you / });
    await expect
      .poll(() => listed.getByRole("cell").allTextContents())
      .toEqual(expect.arrayContaining(["Thank you", "Sent", "3"]));
  });

  it("said nothing in the browser's console as an error along the whole journey", () => {
    // Requests the journey made on purpose to fail (a refused import, a problem in a form) are the
    // network's, logged as "Failed to load resource": anything else is a script or a CSP error.
    expect(consoleErrors.filter((text) => !text.startsWith("Failed to load resource"))).toEqual([]);
  });
});
