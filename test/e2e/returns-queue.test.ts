import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { browserDescribe, openDemoInBrowser, type DemoInBrowser } from "../support/demo-in-browser";

const browserRun = browserDescribe("the returns queue");
const VIEWPORT = { width: 1400, height: 1100 };

let page: Page;
let app: FrameLocator;
let opened: DemoInBrowser | null;

beforeAll(async () => {
  opened = await openDemoInBrowser(VIEWPORT);
  if (opened) ({ page, app } = opened);
}, 300_000);
afterAll(() => opened?.close());

const body = () => opened!.body();
const withDemoLog = (check: () => Promise<void>) => opened!.withDemoLog(check);

/** The admin's navigation link to the Returns page, followed until the admin shows that page. */
async function openReturns() {
  const path = "/admin/apps/policy-guard/app/returns";
  for (let attempt = 0; attempt < 10 && new URL(page.url()).pathname !== path; attempt++) {
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Returns", exact: true }).click();
    await expect
      .poll(() => new URL(page.url()).pathname, { timeout: 5_000 })
      .toBe(path)
      .catch(() => undefined);
  }
  expect(new URL(page.url()).pathname).toBe(path);
}

async function returnsPage(): Promise<string> {
  await openReturns();
  let text = "";
  for (let attempt = 0; attempt < 90; attempt++) {
    text = await body().catch(() => "");
    if (/Requested \([2-9]\d*\)/.test(text) && /Approved \([1-9]\d*\)/.test(text) && /Answer due in/.test(text))
      return text;
    await new Promise((r) => setTimeout(r, 1_000));
    if (attempt % 5 === 4) await page.reload();
  }
  return text;
}

async function search(query: string) {
  const field = app.getByPlaceholder("Order number, customer email or tracking number");
  await field.fill(query);
  await app.getByRole("button", { name: "Search", exact: true }).click();
}

browserRun("the Returns page of npm run demo, driven in a browser", () => {
  it("shows returns by state with counts and the clock that matters now", async () => {
    await withDemoLog(async () => {
      const text = await returnsPage();
      // The wrong-item report of 3 hours ago: RET-9's answer is due in about 21 hours.
      expect(text).toMatch(/Answer due in 2[01] h \(RET-9\)/);
      expect(text).toMatch(/Closed \([1-9]\)/);
      expect(text).toContain("nina.alvarez@example.com");
      await app.getByRole("tab", { name: /^Approved/ }).click();
      await expect.poll(body, { timeout: 15_000 }).toMatch(/Label voids|Send the label/);
    });
  }, 180_000);

  it("finds a return by order number, receives, inspects and refunds it to the card, then it is closed", async () => {
    await withDemoLog(async () => {
      await app.getByRole("tab", { name: /^Approved/ }).click();
      const row = app.locator("tr", { hasText: "nina.alvarez@example.com" }).first();
      await row.waitFor({ timeout: 15_000 });
      const rowText = await row.innerText();
      const name = /#\d+-R1/.exec(rowText)![0];
      const priceCents = Math.round(Number(/\$([\d,]+\.\d\d)/.exec(rowText)![1]!.replace(/,/g, "")) * 100);
      await search(name.slice(1, name.indexOf("-")));
      await expect.poll(async () => (await body()).match(/#\d+-R1/g) ?? [], { timeout: 15_000 }).toEqual([name]);
      await app.getByRole("link", { name }).click();
      await app.getByText("Policy verdict now: returnable").waitFor({ timeout: 20_000 });

      await app.getByRole("button", { name: "Mark package received" }).click();
      await app.getByText("Package received: inspect it now (RET-5).").waitFor({ timeout: 20_000 });
      for (const label of [
        "Condition as described",
        "Original packaging",
        "All tags attached",
        "Authenticity verified",
      ])
        await app.getByText(label, { exact: true }).click();
      await app.getByRole("button", { name: "Record inspection" }).click();
      await app.getByText("Inspection passed.", { exact: true }).waitFor({ timeout: 20_000 });
      // INV-2: the one-of-a-kind item is on sale again with one available.
      await expect.poll(body, { timeout: 15_000 }).toContain("Inspection passed (RET-5) · restocked 1");

      // The item and its tax (the demo charges 8.875 %); shipping never refunded; no label fee on a return made in Shopify.
      const total = priceCents + Math.round(priceCents * 0.08875);
      const amount = `$${(total / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;
      const refund = app.getByRole("button", { name: `Refund ${amount}`, exact: true });
      await refund.waitFor({ timeout: 20_000 });
      expect(await body()).toContain("Shipping (never refunded, RET-7)");
      await refund.click();
      await app
        .getByText(`Refunded ${amount} to the original card; the return is closed.`)
        .waitFor({ timeout: 20_000 });
      await expect.poll(body, { timeout: 15_000 }).toMatch(/shows on the shopper's statement between/);
      expect(await body()).toMatch(/Closed/);
    });
  }, 120_000);

  it("approves a requested change-of-mind return once for a double click", async () => {
    await withDemoLog(async () => {
      await openReturns();
      await app.getByRole("tab", { name: /^Requested/ }).click();
      await search("nina.alvarez@example.com");
      await expect.poll(body, { timeout: 15_000 }).toMatch(/Change of mind/);
      const rows = app.locator("tr", { hasText: "Change of mind" });
      await rows.first().getByRole("link").click();
      await app.getByRole("button", { name: /^Approve and send the label$/ }).waitFor({ timeout: 20_000 });
      await app.getByRole("button", { name: /^Approve and send the label$/ }).dblclick();
      await app.getByText(/^Approved[.;]/).waitFor({ timeout: 20_000 });
      expect(await body()).toMatch(/Approved/);
      await app.getByRole("button", { name: "Mark package received" }).waitFor({ timeout: 20_000 });
    });
  }, 120_000);

  it("draws the analytics with a chart and a table for each measure", async () => {
    await withDemoLog(async () => {
      await openReturns();
      await app.getByRole("link", { name: "Analytics" }).click();
      await app.getByText("Return rate (orders)").waitFor({ timeout: 20_000 });
      await expect.poll(() => app.locator("[data-chart] svg").count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const text = await body();
      for (const heading of [
        "Reasons",
        "Requests refused, by rule",
        "Label fees kept (RET-7)",
        "Wrong-item answers within 24 h",
      ])
        expect(text).toContain(heading);
      expect(text).toContain("Change of mind");
    });
  }, 90_000);
});
