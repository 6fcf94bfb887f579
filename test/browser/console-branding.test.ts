import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebinarEvent } from "../../shared/domain/event.ts";
import { sampleEvent, uniqueId } from "../support/sample-event.ts";
import { accessibilityViolations, inBrowser, openBrowser, type TestBrowser } from "./browser.ts";
import { type BrowserStack, browserStack } from "./console-stack.ts";

/**
 * The organiser gives an event its look and its agenda in the console's event editor: the accent
 * colour's contrast as they type it, logos in their order, each part's start time as they set
 * the minutes, and what registrants then see on the public page the editor links to.
 */
describe("organiser console, branding and agenda", () => {
  let stack: BrowserStack;
  let browser: TestBrowser;
  let page: Page;
  const eventId = uniqueId("browser-branding");

  const storedEvent = async () => {
    const response = await fetch(`${stack.api}/admin/events/${eventId}`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    return (await response.json()) as WebinarEvent;
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([browserStack(), openBrowser()]);
    page = browser.page;
    page.setDefaultTimeout(10_000);
    const event = sampleEvent();
    // 10:00 in Paris (the session's zone), so that the parts' times are known.
    event.sessions[0].startsAt = "2030-03-04T09:00:00Z";
    const created = await fetch(`${stack.api}/admin/events/${eventId}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(event),
    });
    expect(created.status).toBeLessThan(300);
    await page.goto(`${stack.api}/console/#token=${stack.adminToken}`);
    await page.getByRole("navigation").getByRole("link", { name: "Events", exact: true }).waitFor();
    await page.goto(`${stack.api}/console/events/${eventId}/settings`);
    await page.getByRole("heading", { level: 1, name: "Event settings" }).waitFor();
    // Chromium's start and the console's first load, on a loaded machine.
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows the accent colour's contrast as it is typed, and refuses a colour too light beside its field", async () => {
    const colour = page.getByLabel("Colour (#rrggbb)");

    await colour.fill("#ffcc00");

    expect(await colour.getAttribute("aria-invalid")).toBe("true");
    const contrastId = (await colour.getAttribute("aria-describedby"))?.split(" ")[0] ?? "";
    const contrast = page.locator(`[id="${contrastId}"]`);
    expect(await contrast.textContent()).toContain("Contrast with white: 1.51:1, under the 4.5:1");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => colour.getAttribute("aria-describedby")).toContain("-error");
    expect(await page.getByText("#ffcc00 has a contrast ratio of 1.51:1").isVisible()).toBe(true);
    expect((await storedEvent()).branding).toBeUndefined();

    await colour.fill("#1a6e3c");

    expect(await contrast.textContent()).toBe(
      "Contrast with white: 6.28:1. Readable (WCAG AA asks for 4.5:1).",
    );
    expect(await colour.getAttribute("aria-invalid")).toBeNull();
  });

  it("orders logos, shows when each part of the agenda starts, and saves them", async () => {
    for (const [number, url, alt] of [
      [1, "https://logos.example.org/uclg.png", "UCLG"],
      [2, "https://logos.example.org/unicef.png", "UNICEF"],
    ] as const) {
      await page.getByRole("button", { name: "Add a logo" }).click();
      await page.getByLabel(`Address of logo ${number}`).fill(url);
      await page.getByLabel(`Text of logo ${number} in French`).fill(alt);
      await page.getByLabel(`Text of logo ${number} in English`).fill(alt);
    }
    await page.getByRole("button", { name: "Move logo 2 up" }).click();
    // The moved logo's button keeps the focus (here its other one: it is first now).
    expect(await page.evaluate(inBrowser("document.activeElement.textContent"))).toBe("Move logo 1 down");

    await page.getByText("Agenda of session fr: 0 parts").click();
    for (const [number, fr, en, minutes] of [
      [1, "Apprentissage entre pairs", "Peer learning", "45"],
      [2, "Questions et réponses", "Questions and answers", "30"],
    ] as const) {
      await page.getByRole("button", { name: "Add a part to session fr" }).click();
      await page.getByLabel(`Title of part ${number} in French`).fill(fr);
      await page.getByLabel(`Title of part ${number} in English`).fill(en);
      await page.getByLabel(`Minutes of part ${number}`).fill(minutes);
    }
    await page.getByRole("button", { name: "Add a moderator or speaker to part 1" }).click();
    await page.getByLabel("Role of person 1").selectOption({ label: "Moderator" });
    await page.getByLabel("Name of person 1 in English").fill("Jane Doe");
    await page.getByLabel("Organisation of person 1 in French").fill("CGLU");
    await page.getByLabel("Organisation of person 1 in English").fill("UCLG");

    // Each part's times, on the session's clocks, as its minutes are typed.
    expect(await page.locator("details.agenda legend").allTextContents()).toEqual([
      "Part 1, from 10:00 CET to 10:45 CET",
      "Moderators and speakers of part 1",
      "Moderator: Jane Doe",
      "Part 2, from 10:45 CET to 11:15 CET",
      "Moderators and speakers of part 2",
    ]);
    expect(await page.getByText("The parts last 75 of the session's 90 minutes.").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved.").waitFor();
    const saved = await storedEvent();
    expect(saved.branding).toEqual({
      accentColour: "#1a6e3c",
      logos: [
        { url: "https://logos.example.org/unicef.png", alt: { fr: "UNICEF", en: "UNICEF" } },
        { url: "https://logos.example.org/uclg.png", alt: { fr: "UCLG", en: "UCLG" } },
      ],
    });
    expect(saved.sessions[0]?.agenda).toMatchObject([
      {
        title: { en: "Peer learning" },
        minutes: 45,
        // A name given in one language is the same name in every language.
        moderators: [{ name: { fr: "Jane Doe", en: "Jane Doe" }, affiliation: { fr: "CGLU", en: "UCLG" } }],
      },
      { title: { fr: "Questions et réponses" }, minutes: 30 },
    ]);
  });

  it("refuses to save over a colleague's later save, says so, and keeps the colleague's change", async () => {
    const { id: _id, createdAt: _created, updatedAt: _updated, ...settings } = await storedEvent();
    const colleague = await fetch(`${stack.api}/admin/events/${eventId}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        ...settings,
        description: { ...settings.description, en: "Changed by a colleague." },
      }),
    });
    expect(colleague.status).toBe(200);

    await page.getByLabel("Colour (#rrggbb)").fill("#0b5394");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    await page.getByText("Someone saved this event after you opened it").waitFor();
    const stored = await storedEvent();
    expect(stored.description.en).toBe("Changed by a colleague.");
    expect(stored.branding?.accentColour).toBe("#1a6e3c");
  });

  it("links to the public page in each of the event's languages, which shows the agenda", async () => {
    const french = page.getByRole("link", { name: "See the public page in French (opens in a new tab)" });
    const href = await french.getAttribute("href");
    expect(href).toBe(`/events/${eventId}?lang=fr`);

    const publicPage = await browser.context.newPage();
    await publicPage.goto(`${stack.api}${href}`);
    expect(await publicPage.getByText("Apprentissage entre pairs").first().isVisible()).toBe(true);
    await publicPage.close();
  });

  it("keeps the editor with its agenda open accessible, and without sideways scroll on a phone", async () => {
    await page.getByText("Agenda of session fr: 2 parts").click();
    await page.getByLabel("Title of part 2 in English").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    expect(await page.evaluate(inBrowser("document.documentElement.scrollWidth"))).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(page, { layoutOnly: true })).toEqual([]);
  });
});
