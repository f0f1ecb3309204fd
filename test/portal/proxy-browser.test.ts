/**
 * The online store's return portal in Chromium, through the emulator acting as the storefront's
 * app proxy (it signs each forwarded request as Shopify does): with JavaScript off, a shopper logs
 * in, requests a return and sees it; another customer's order in the URL is a 404.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { legacyId } from "../emulator/store";
import { storefront } from "../emulator/storefront-proxy";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser";
import { ROOT } from "../support/server";
import { startPortalApp, type PortalApp } from "./portal-app";
import { PORTAL_NOW, portalStore, type PortalStore } from "./portal-store";

// CI installs Debian's chromium; a local run without it says so instead of failing.
const browserRun = chromiumAvailable() || process.env.CI ? describe : describe.skip;
if (!chromiumAvailable()) console.warn("Skipping the portal browser test: install Debian's chromium.");

let shop: PortalStore;
let app: PortalApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // The app and the emulator run in this process at PORTAL_NOW; Chromium needs no clock of its own.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(PORTAL_NOW);
  shop = portalStore();
  app = await startPortalApp(shop.store);
  if (!chromiumAvailable()) return;
  browser = await launchChromium();
  context = await browser.newContext({ userAgent: BROWSER_UA, javaScriptEnabled: false });
  page = await context.newPage();
}, 300_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
  vi.useRealTimers();
});

const screenshot = (name: string) => {
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  return page.screenshot({ path: join(ROOT, `test-results/${name}.png`), fullPage: true });
};

browserRun("the return portal on the online store (app proxy), without JavaScript", () => {
  it("a shopper who is not logged in is sent to log in and comes back to the portal", async () => {
    const response = await page.goto(`${app.emulator.origin}/apps/returns`);
    expect(response!.status()).toBe(401);
    await page.getByRole("link", { name: "Log in to your account" }).click();
    await page.getByRole("button", { name: /Log in as Maya Chen/ }).click();
    await page.getByRole("heading", { name: "Your recent orders" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/apps/returns");
    const orders = await page.locator("body").innerText();
    expect(orders).toContain(shop.mayaDelivered.name);
    expect(orders).toContain(shop.mayaJustPlaced.name);
    expect(orders).not.toContain(shop.jamesDelivered.name);
    // Every request reached the app signed, as Maya: the cookie stayed on the storefront.
    const forwarded = storefront(shop.store).forwarded.at(-1)!;
    expect(forwarded.query.get("logged_in_customer_id")).toBe(String(legacyId(shop.maya.id)));
  });

  it("requests a return of a delivered order and sees it on the order", async () => {
    const before = await app.counts();
    await page.getByRole("link", { name: shop.mayaDelivered.name }).click();
    await page.getByRole("heading", { name: `Order ${shop.mayaDelivered.name}` }).waitFor();
    const order = await page.locator("body").innerText();
    expect(order).toContain("Changed my mind: This item can be returned within 14 days of delivery");
    expect(order).toMatch(/Return label fee .*\(RET-7\)\s+-\$20\.00/);
    await screenshot("portal-proxy-order");
    await page.getByLabel("Reason").selectOption("change_of_mind");
    await page.getByLabel("Note for the store (optional)").fill("Too small, never worn.");
    await page.getByRole("button", { name: "Request return" }).click();
    await page.getByRole("heading", { name: /Return requested/ }).waitFor();
    expect(await page.locator("body").innerText()).toContain("What happens next");
    await screenshot("portal-proxy-requested");
    expect((await app.counts()).returns).toBe(before.returns + 1);
    const created = shop.store.returns.at(-1)!;
    expect(created.order.id).toBe(shop.mayaDelivered.id);

    // Back on the order, the return is listed with its state.
    await page.goto(`${app.emulator.origin}/apps/returns/orders/${legacyId(shop.mayaDelivered.id)}`);
    await page.getByRole("heading", { name: "Your returns" }).waitFor();
    expect(await page.locator(`[data-return="${created.id}"]`).innerText()).toMatch(/Requested, waiting for the store/);
  });

  it("another customer's order id in the URL is a 404 and shows nothing of it", async () => {
    const response = await page.goto(`${app.emulator.origin}/apps/returns/orders/${legacyId(shop.jamesDelivered.id)}`);
    expect(response!.status()).toBe(404);
    const body = await page.locator("body").innerText();
    expect(body).toContain("We could not find that order in your account.");
    expect(body).not.toContain(shop.jamesDelivered.name);
    expect(body).not.toContain("Prada");
  });
});
