import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appBuild } from "../support/app-build";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser";
import { startDemo, type RunningDemo } from "../support/demo-process";
import { ROOT } from "../support/server";

// CI installs Debian's chromium; a local run without it says so instead of failing.
const browserRun = chromiumAvailable() || process.env.CI ? describe : describe.skip;
if (!chromiumAvailable()) console.warn("Skipping the settings browser test: install Debian's chromium.");

let browser: Browser;
let demo: RunningDemo;
let page: Page;
let app: FrameLocator;

beforeAll(async () => {
  const buildDir = await appBuild();
  if (!chromiumAvailable()) return;
  browser = await launchChromium();
  demo = await startDemo({ buildDir });
  page = await browser.newPage({ userAgent: BROWSER_UA, viewport: { width: 1280, height: 1000 } });
  await page.goto(demo.adminUrl);
  await page.getByText("Open Policy Guard").click();
  app = page.frameLocator("#app-frame");
  await app.getByText("Recent orders at ALLU Demo").waitFor({ timeout: 30_000 });
}, 300_000);
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await demo?.stop();
});

const nav = (name: string) => page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name, exact: true });
const body = () => app.locator("body").innerText();

/** A failure says what the demo printed. */
async function withDemoLog(check: () => Promise<void>) {
  try {
    await check();
  } catch (error) {
    (error as Error).message += `\n--- npm run demo printed:\n${demo.output().slice(-6_000)}`;
    throw error;
  }
}

function screenshot(name: string) {
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  return page.screenshot({ path: join(ROOT, `test-results/${name}.png`), fullPage: true });
}

/** The order's page, opened from its row on the home page, once the worker has built its timeline. */
async function openOrder(name: string): Promise<string> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await nav("Policy Guard").click();
    await app.getByText("Recent orders at ALLU Demo").waitFor({ timeout: 30_000 });
    await app.getByRole("link", { name, exact: true }).click();
    const opened = await Promise.race([
      app
        .getByRole("img", { name: `Timeline of order ${name}` })
        .waitFor({ timeout: 15_000 })
        .then(() => true),
      app
        .getByText("This shop has no such order.")
        .waitFor({ timeout: 15_000 })
        .then(() => false),
    ]);
    if (opened) return body();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`The page of order ${name} never showed its timeline`);
}

/** The date of a deadline in the order page's list, as a UTC day number. */
function dueDay(text: string, deadline: string): number {
  const match = new RegExp(`${deadline}\\s+(\\w{3}) (\\d{1,2}), (\\d{4})`).exec(text);
  if (!match) throw new Error(`No "${deadline}" in:\n${text}`);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(match[1]!);
  return Date.UTC(Number(match[3]), month, Number(match[2])) / 86_400_000;
}

async function fillWithPreset(label: string, value: string) {
  await nav("Settings").click();
  await app.getByText("Settings history").waitFor({ timeout: 30_000 });
  await app.getByLabel("Preset").selectOption(value);
  await app.getByRole("button", { name: "Fill the form with this preset" }).click();
  await app.getByText(`The form shows the ${label} preset`).waitFor({ timeout: 15_000 });
}

browserRun("the settings page and the order page in npm run demo", () => {
  let returnByBefore: number;

  it("opens an order's timeline picture from its row on the home page", async () => {
    await withDemoLog(async () => {
      const text = await openOrder("#1003");
      const picture = app.getByRole("img", { name: "Timeline of order #1003" });
      // Weekends (and holidays) shaded, deadlines drawn with their rule ids, events marked.
      expect(await picture.locator('g[data-business="false"]').count()).toBeGreaterThan(0);
      expect(await picture.locator('[data-deadline="return_request_by"]').innerHTML()).toContain("RET-1");
      expect(await picture.locator('[data-event="delivered"]').count()).toBe(1);
      expect(text).toMatch(/Events[\s\S]*Delivered/);
      returnByBefore = dueDay(text, "RET-1 Return must be requested by");
      await screenshot("order-timeline");
    });
  }, 120_000);

  it("switches to Alley Accessory: previews, saves, and the sync and the deadlines follow", async () => {
    await withDemoLog(async () => {
      await fillWithPreset("Alley Accessory", "alleyAccessory");
      expect(await app.getByLabel("Return window").inputValue()).toBe("30");
      expect(await app.getByLabel("Ship to every country").isChecked()).toBe(true);

      await app.getByRole("button", { name: "Preview changes" }).click();
      await app.getByText("What saving would change").waitFor({ timeout: 15_000 });
      const preview = await body();
      expect(preview).toMatch(/RET-1 Return window: 14 → 30/);
      expect(preview).toMatch(/\d+ of \d+ open orders have deadlines that move/);
      expect(preview).toMatch(/#1003\s+RET-1 Return must be requested by[^\n]*16 days later/);
      await screenshot("settings-preview");

      await app.getByRole("button", { name: "Save and sync" }).click();
      await app.getByText("Saved as Alley Accessory (revision 2)").waitFor({ timeout: 30_000 });
      const saved = await body();
      for (const step of [
        "Checkout validation (INV-1, SHP-3)",
        "Free-shipping discount (SHP-1)",
        "Checkout rules on the shop",
      ])
        expect(saved).toMatch(new RegExp(`Done\\s*${step.replace(/[()]/g, "\\$&")}`));
      expect(saved).toMatch(/Done\s*Deadlines of the stored orders recomputed — \d+ orders recomputed/);
      expect(saved).not.toContain("Failed");
      expect(saved).toMatch(
        /Settings history[\s\S]*revision 2[\s\S]*Alley Accessory[\s\S]*RET-1 Return window: 14 → 30/,
      );
      await screenshot("settings-saved");

      const order = await openOrder("#1003");
      expect(dueDay(order, "RET-1 Return must be requested by") - returnByBefore).toBe(16);
    });
  }, 180_000);

  it("switches back to ALLU and the deadlines return", async () => {
    await withDemoLog(async () => {
      await fillWithPreset("ALLU", "allu");
      expect(await app.getByLabel("Return window").inputValue()).toBe("14");
      await app.getByRole("button", { name: "Save and sync" }).click();
      await app.getByText("Saved as ALLU (revision 3)").waitFor({ timeout: 30_000 });
      expect(await body()).toMatch(/Settings history[\s\S]*revision 3[\s\S]*revision 2/);
      const order = await openOrder("#1003");
      expect(dueDay(order, "RET-1 Return must be requested by")).toBe(returnByBefore);
    });
  }, 180_000);

  it("shows a bad value at its field and saves nothing", async () => {
    await nav("Settings").click();
    await app.getByText("Settings history").waitFor({ timeout: 30_000 });
    await app.getByLabel("Cancellation window").fill("two");
    await app.getByRole("button", { name: "Save and sync" }).click();
    await app.getByText("Nothing was saved: fix these first").waitFor({ timeout: 15_000 });
    expect(await body()).toContain('must be a whole number (got "two")');
    expect(await body()).toMatch(/Saved as ALLU · revision 3/);
  }, 60_000);
});
