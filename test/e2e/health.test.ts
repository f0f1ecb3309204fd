import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appBuild } from "../support/app-build";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser";
import { browserDescribe } from "../support/demo-in-browser";
import { startDemo, type RunningDemo } from "../support/demo-process";
import { ROOT } from "../support/server";

const browserRun = browserDescribe("the health page");

let browser: Browser;
let demo: RunningDemo;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  const buildDir = await appBuild();
  browser = await launchChromium();
  demo = await startDemo({ buildDir });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

browserRun("the Health page in the demo", () => {
  it("finds the flat rate changed in Shopify's shipping settings (SHP-2) and sets it back in one click", async () => {
    const page = await browser.newPage({ userAgent: BROWSER_UA, viewport: { width: 1280, height: 1400 } });
    const admin = new URL(demo.adminUrl).origin;
    // The merchant edits the rate by hand in the admin's shipping settings.
    await page.goto(`${admin}/admin/settings/shipping`);
    await page.getByLabel("Standard (FedEx) price").fill("25.00");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").waitFor();

    // The app's Health page, opened in the admin as Shopify opens an app's page.
    await page.goto(`${admin}/admin/apps/policy-guard/app/health`);
    const app = page.frameLocator("#app-frame");
    const rate = app.locator('[data-check="delivery-rate"]');
    await rate.waitFor({ timeout: 30_000 }).catch(async (error: Error) => {
      throw new Error(
        `${error.message}\nThe page shows:\n${await app
          .locator("body")
          .innerText()
          .catch(() => "(nothing)")}\n${demo.output().slice(-3000)}`,
      );
    });
    expect(await rate.getAttribute("data-state")).toBe("drift");
    expect(await app.locator("body").innerText()).toContain(
      'Rate "Standard (FedEx) (US)" charges $25.00; the policy\'s flat rate is $20.00.',
    );
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: join(ROOT, "test-results/health-drift.png"), fullPage: true });

    await app.getByRole("button", { name: "Set the rate to $20.00" }).click();
    await app.getByText("1 rate set to the flat rate.").waitFor({ timeout: 30_000 });
    await app.locator('[data-check="delivery-rate"][data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await app.locator('[data-check="delivery-rate"]').innerText()).toBe(
      "Below the threshold every zone charges $20.00.",
    );
    await page.screenshot({ path: join(ROOT, "test-results/health-fixed.png"), fullPage: true });

    // Shopify's shipping settings show the rate set back.
    await page.goto(`${admin}/admin/settings/shipping`);
    expect(await page.getByLabel("Standard (FedEx) price").inputValue()).toBe("20.00");
    await page.close();
  }, 180_000);
});
