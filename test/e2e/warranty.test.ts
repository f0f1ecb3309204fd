/**
 * Warranty and repair claims (WAR-1…5) in `npm run demo`, in Chromium, as a merchant and a shopper:
 * the merchant switches the warranty on in Settings (the demo installs on ALLU, which has none);
 * Maya Chen files claims from the online-store portal (the emulator's app proxy, JavaScript off)
 * with a real PNG and reads the rule's decision; staff find each claim on the Warranty page and
 * approve the covered repair, or quote a paid repair and send its invoice with a double click.
 *
 * The decisions are derived, not typed: the demo store is rebuilt here from the clock the demo
 * printed (its seed is a function of that moment), and the order's facts go through
 * `warrantyDecision` with the settings the page saved. Maya's delivered orders are all days old
 * and none is final sale, so "out of warranty" (WAR-1's months passed) and WAR-3 cannot happen in
 * the demo; the not-covered case is tarnishing (WAR-4), quoted as a paid repair (WAR-5).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { BrowserContext, FrameLocator, Locator, Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  parseDecimal,
  presetSettings,
  warrantyDecision,
  WARRANTY_ISSUES,
  type PolicySettings,
  type WarrantyIssue,
} from "../../app/policy";
import { demoStore } from "../emulator/demo-store";
import type { Node } from "../emulator/store";
import { BROWSER_UA } from "../support/browser";
import { browserDescribe, openDemoInBrowser, type DemoInBrowser } from "../support/demo-in-browser";
import { ROOT } from "../support/server";

const browserRun = browserDescribe("warranty claims");
const VIEWPORT = { width: 1280, height: 1000 };

let page: Page;
let app: FrameLocator;
let opened: DemoInBrowser | null;
let shopperContext: BrowserContext | undefined;
let shopper: Page;
let photoDir: string | undefined;

beforeAll(async () => {
  opened = await openDemoInBrowser(VIEWPORT);
  if (!opened) return;
  ({ page, app } = opened);
  // The shopper has a browser of their own, with JavaScript off: the online-store pages are plain forms.
  shopperContext = await page.context().browser()!.newContext({ userAgent: BROWSER_UA, javaScriptEnabled: false });
  shopper = await shopperContext.newPage();
}, 300_000);
afterAll(async () => {
  await shopperContext?.close();
  await opened?.close();
  if (photoDir) rmSync(photoDir, { recursive: true, force: true });
});

const body = () => opened!.body();
const withDemoLog = (check: () => Promise<void>) => opened!.withDemoLog(check);
const nav = (name: string) => page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name, exact: true });
const storefront = () => new URL(opened!.demo.adminUrl).origin;

function screenshot(on: Page, name: string) {
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  return on.screenshot({ path: join(ROOT, `test-results/${name}.png`), fullPage: true });
}

/** Opens a page from the admin's menu; a click made while App Bridge is still starting is made again. */
async function openFromMenu(link: string, shows: Locator) {
  for (let attempt = 1; ; attempt++) {
    await nav(link).click();
    try {
      await shows.first().waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** A real PNG (8×8, one colour), written to a file as a shopper's photo would be. */
function pngFile(name: string): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const size = 8;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: size }, () => [0xb8, 0x86, 0x0b]).flat()),
  ]);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  photoDir ??= mkdtempSync(join(tmpdir(), "warranty-photo-"));
  const file = join(photoDir, name);
  writeFileSync(file, png);
  return file;
}

/** The demo order the demo prints for Maya, as the demo seeded it: rebuilt from the clock it printed. */
function mayasOrder(): { name: string; orderId: number; line: Node; processedAt: Date } {
  const printed = /her order (#\d+) can be returned/.exec(opened!.demo.output());
  if (!printed) throw new Error("npm run demo did not print Maya Chen's order");
  const order = demoStore(opened!.demo.seededAt).orders.find((o) => o.name === printed[1]);
  if (!order) throw new Error(`The demo's seed has no order ${printed[1]}`);
  expect(order.customer?.email).toBe("maya.chen@example.com");
  return {
    name: order.name,
    orderId: Number(String(order.id).split("/").pop()),
    line: order.lineItems[0],
    processedAt: new Date(order.processedAt),
  };
}

/** What the page must say for a claim on `line` for `issue` now, by WAR-1…5 with the saved settings. */
function expectedSentence(line: Node, processedAt: Date, issue: WarrantyIssue, settings: PolicySettings) {
  const currency = line.originalUnitPriceSet.shopMoney.currencyCode;
  const decided = warrantyDecision(
    {
      purchasedAt: processedAt,
      claimedAt: new Date(),
      productTags: line.product.tags,
      unitPrice: parseDecimal(line.originalUnitPriceSet.shopMoney.amount, currency),
      compareAtPrice: line.variant.compareAtPrice ? parseDecimal(line.variant.compareAtPrice, currency) : null,
      issue,
    },
    settings,
  );
  // As the page words a decision: its message, then its rule id in brackets.
  const said = (d: { message: string; rule: string }) => `${d.message.replace(/\.$/, "")} (${d.rule}).`;
  const sentence = decided.covered
    ? `${said(decided.decision)} Send us the piece and we will repair it free of charge.`
    : `${said(decided.decision)} ${said(decided.remedy!)}`;
  return { decided, sentence };
}

/** Maya files a claim from the online store: the order, its warranty form, the item, the issue, a photo. */
async function fileClaim(orderName: string, item: string, issue: WarrantyIssue, photo: string): Promise<string> {
  // The app stores the shop's orders in the background after the install (about 40 s in the demo): until then her list is shorter.
  const link = shopper.getByRole("link", { name: orderName, exact: true });
  for (let attempt = 0; attempt < 30; attempt++) {
    await shopper.goto(`${storefront()}/apps/returns`);
    await shopper.getByRole("heading", { name: "Your recent orders" }).waitFor();
    if (await link.count()) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  await link.click();
  await shopper.getByRole("heading", { name: `Order ${orderName}` }).waitFor();
  await shopper.getByRole("link", { name: "Warranty or repair claim" }).click();
  await shopper.getByRole("heading", { name: "Warranty or repair" }).waitFor();
  await shopper.getByLabel("Item").selectOption({ label: item });
  await shopper.getByLabel(WARRANTY_ISSUES.find((i) => i.issue === issue)!.label).check();
  await shopper.getByLabel("Tell us more (optional)").fill(`Filed from the online store: ${issue.replace(/_/g, " ")}.`);
  await shopper.getByLabel(/Photos of what is wrong/).setInputFiles(photo);
  await screenshot(shopper, `warranty-claim-form-${issue}`);
  await shopper.getByRole("button", { name: "Send claim" }).click();
  await shopper.getByRole("heading", { name: "Claim sent" }).waitFor({ timeout: 30_000 });
  await screenshot(shopper, `warranty-claim-sent-${issue}`);
  return shopper.getByRole("status").innerText();
}

/** The Warranty page from the app's navigation, on a tab, its rows' text. */
async function warrantyTab(label: string, count: number): Promise<string> {
  await openFromMenu("Warranty", app.getByRole("tab", { name: /^To confirm \(\d+\)$/ }));
  const tab = app.getByRole("tab", { name: `${label} (${count})` });
  await tab.waitFor({ timeout: 15_000 });
  await tab.click();
  await expect.poll(() => tab.getAttribute("aria-selected"), { timeout: 15_000 }).toBe("true");
  return body();
}

/** The claim's page, opened from its row in the Warranty list. */
async function openClaim(orderName: string, badge: string) {
  const row = app.locator("tr", { hasText: badge }).filter({ hasText: orderName });
  await row.first().waitFor({ timeout: 15_000 });
  expect(await row.count()).toBe(1);
  await row.getByText(orderName, { exact: true }).click();
  await app.getByText(`Warranty claim · ${orderName}`, { exact: true }).waitFor({ timeout: 20_000 });
}

/** Reloads the admin at the page it shows (the admin's URL follows the app's), then waits for `shows`. */
async function reloadShowing(shows: Locator) {
  await page.reload();
  await shows.first().waitFor({ timeout: 30_000 });
}

browserRun("warranty and repair claims in npm run demo, as a merchant and a shopper", () => {
  let settings: PolicySettings;
  let order: ReturnType<typeof mayasOrder>;
  let item: string;

  it("the merchant switches the warranty on in Settings; the save syncs", async () => {
    await withDemoLog(async () => {
      await openFromMenu("Settings", app.getByText("Settings history", { exact: true }));
      const offered = app.locator('[id="setting-warranty.enabled"]');
      expect(await offered.isChecked()).toBe(false);
      await app.getByText("Warranty offered", { exact: true }).click();
      expect(await offered.isChecked()).toBe(true);
      await app.getByRole("button", { name: "Save and sync" }).click();
      await app
        .getByText(/^Saved as .+ \(revision 2\)$/)
        .first()
        .waitFor({ timeout: 30_000 });
      // The history is read again after the save.
      await expect
        .poll(body, { timeout: 15_000 })
        .toMatch(/Settings history[\s\S]*revision 2[\s\S]*WAR-1 Warranty offered/);
      const saved = await body();
      expect(saved).toMatch(/Done\s*Checkout rules on the shop/);
      expect(saved).not.toMatch(/Failed|Not run/);
      // The settings the rule reads, as the form shows them saved.
      expect(await app.locator('[id="setting-warranty.enabled"]').isChecked()).toBe(true);
      settings = structuredClone(presetSettings("allu"));
      settings.warranty.enabled = true;
      settings.warranty.standardMonths = Number(
        await app.locator('[id="setting-warranty.standardMonths"]').inputValue(),
      );
      await screenshot(page, "warranty-settings-saved");
    });
  }, 120_000);

  it("Maya files a manufacturing-defect claim with a photo and reads that it is covered (WAR-1)", async () => {
    await withDemoLog(async () => {
      order = mayasOrder();
      item = order.line.title;
      const { decided, sentence } = expectedSentence(order.line, order.processedAt, "manufacturing_defect", settings);
      expect(decided.covered).toBe(true);
      // Logged out, the portal sends her to log in and back.
      const response = await shopper.goto(`${storefront()}/apps/returns`);
      expect(response!.status()).toBe(401);
      await shopper.getByRole("link", { name: "Log in to your account" }).click();
      await shopper.getByRole("button", { name: /Log in as Maya Chen/ }).click();
      await shopper.getByRole("heading", { name: "Your recent orders" }).waitFor();
      const told = await fileClaim(order.name, item, "manufacturing_defect", pngFile("clasp.png"));
      expect(told).toBe(sentence);
      expect(told).toContain(`(${decided.decision.rule}).`);
    });
  }, 120_000);

  it("staff find it under To confirm, approve the covered repair, and it stays approved after a reload", async () => {
    await withDemoLog(async () => {
      await warrantyTab("To confirm", 1);
      await openClaim(order.name, "Covered (WAR-1)");
      // Her photo, stored as a Shopify file, is linked from the claim.
      expect((await body()).match(/Photo \d+/g)).toHaveLength(1);
      await app.getByRole("button", { name: "Approve covered repair" }).click();
      await app.getByText("Approved as a covered repair, free of charge.").waitFor({ timeout: 20_000 });
      await screenshot(page, "warranty-claim-approved");
      await reloadShowing(app.getByText("approved as a covered repair", { exact: true }));
      const text = await body();
      expect(text).toContain(`Warranty claim · ${order.name}`);
      expect(text).toMatch(/repair approved ·/);
      expect(await app.getByRole("button", { name: "Approve covered repair" }).count()).toBe(0);
      const list = await warrantyTab("Covered repairs", 1);
      expect(list).toContain(order.name);
      expect(list).toMatch(/To confirm \(0\)/);
      await reloadShowing(app.getByRole("tab", { name: "Covered repairs (1)" }));
    });
  }, 120_000);

  it("Maya files a tarnishing claim on the same piece: not covered (WAR-4), a paid repair offered (WAR-5)", async () => {
    await withDemoLog(async () => {
      const { decided, sentence } = expectedSentence(order.line, order.processedAt, "tarnishing", settings);
      expect(decided).toMatchObject({ covered: false, decision: { rule: "WAR-4" } });
      const told = await fileClaim(order.name, item, "tarnishing", pngFile("tarnish.png"));
      expect(told).toBe(sentence);
      // Her claims are listed on the order's warranty page with what she was told.
      await shopper.getByRole("link", { name: "Back to the order" }).click();
      await shopper.getByRole("link", { name: "Warranty or repair claim" }).click();
      const claims = await shopper.getByRole("heading", { name: "Your claims" }).locator("xpath=..").innerText();
      expect(claims).toContain(`${item}: ${sentence}`);
    });
  }, 120_000);

  it("staff quote the paid repair: a double click sends one invoice, and the state survives a reload", async () => {
    await withDemoLog(async () => {
      await warrantyTab("To confirm", 1);
      await openClaim(order.name, "Not covered (WAR-4)");
      await app.getByLabel(/^Repair price \(USD\), WAR-5$/).fill("85.00");
      // The staff's posts of the quote, counted while the page is open (Remix posts to the route's `.data`).
      const claimPath = new URL(page.url()).pathname.replace("/admin/apps/policy-guard", "");
      const posts: string[] = [];
      const onRequest = (request: Request) => {
        const path = new URL(request.url()).pathname;
        if (request.method() === "POST" && (path === claimPath || path === `${claimPath}.data`)) posts.push(path);
      };
      page.on("request", onRequest);
      await app.getByRole("button", { name: "Send paid-repair invoice" }).dblclick();
      const sent = "Repair quoted at $85.00: the draft order invoice was sent to maya.chen@example.com.";
      await app.getByText(sent).waitFor({ timeout: 30_000 });
      // No refusal beside it (Polaris shows a critical banner as an alert).
      expect(await app.getByRole("alert").count()).toBe(0);
      await screenshot(page, "warranty-invoice-sent");
      await reloadShowing(app.getByText("quoted as a paid repair (invoice sent)", { exact: true }));
      const text = await body();
      expect(text.match(/Quoted \$85\.00, invoice sent /g)).toHaveLength(1);
      expect(text.match(/invoice sent · /g)).toHaveLength(1);
      expect(text.match(/repair quoted · /g)).toHaveLength(1);
      expect(await app.getByRole("button", { name: "Send paid-repair invoice" }).count()).toBe(0);
      page.off("request", onRequest);
      // A double click posts once or twice (the button is disabled while the first is sent); either way one invoice.
      expect(posts.length).toBeGreaterThanOrEqual(1);
      expect(posts.length).toBeLessThanOrEqual(2);
      const list = await warrantyTab("Paid repairs quoted", 1);
      expect(list).toContain(order.name);
      expect(list).toMatch(/To confirm \(0\)[\s\S]*Covered repairs \(1\)/);
      await reloadShowing(app.getByRole("tab", { name: "Paid repairs quoted (1)" }));
      await screenshot(page, "warranty-list");
    });
  }, 120_000);
});
