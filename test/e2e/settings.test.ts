import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { browserDescribe, openDemoInBrowser, type DemoInBrowser } from "../support/demo-in-browser";
import { ROOT } from "../support/server";

const browserRun = browserDescribe("the settings page");
const VIEWPORT = { width: 1280, height: 1000 };

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
const nav = (name: string) => page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name, exact: true });

function screenshot(name: string) {
  mkdirSync(join(ROOT, "test-results"), { recursive: true });
  return page.screenshot({ path: join(ROOT, `test-results/${name}.png`), fullPage: true });
}

/** The order's page, opened from its row on the home page. */
async function openOrder(name: string): Promise<string> {
  await openFromMenu("Policy Guard", "Recent orders at ALLU Demo");
  await app.getByRole("link", { name, exact: true }).click();
  await app.getByRole("img", { name: `Timeline of order ${name}` }).waitFor({ timeout: 30_000 });
  return body();
}

/** The order's page, opened from its row in a preview of the other preset (the one not saved). */
async function openFromPreview(name: string, preset: [label: string, value: string]): Promise<string> {
  await fillWithPreset(...preset);
  await app.getByRole("button", { name: "Preview changes" }).click();
  await app.getByText("What saving would change").waitFor({ timeout: 15_000 });
  await app.getByRole("link", { name, exact: true }).first().click();
  await app.getByRole("img", { name: `Timeline of order ${name}` }).waitFor({ timeout: 30_000 });
  return body();
}

/**
 * The preview of the form as filled, once the worker has stored orders whose
 * deadlines it moves (the demo's webhooks arrive in the background): the first
 * moved deadline of its sample, as the preview words it.
 */
async function previewWithSample(): Promise<{
  text: string;
  moves: Array<{ order: string; deadline: string; days: number }>;
}> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await app.getByRole("button", { name: "Preview changes" }).click();
    await app.getByText("What saving would change").waitFor({ timeout: 15_000 });
    const text = await body();
    const rows = [...text.matchAll(/\n(#\d+)\t([A-Z]{3}-\d+ [^\t]+)\t[^\t]+\t[^\t]+\t(\d+) days? (later|earlier)/g)];
    const moves = rows.map((row) => ({
      order: row[1]!,
      deadline: row[2]!,
      days: Number(row[3]) * (row[4] === "later" ? 1 : -1),
    }));
    if (moves.length) return { text, moves };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error("The preview never showed a deadline that moves");
}

/** The date of a deadline in the order page's list, as a UTC day number. */
function dueDay(text: string, deadline: string): number {
  const escaped = deadline.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}\\s+(\\w{3}) (\\d{1,2}), (\\d{4})`).exec(text);
  if (!match) throw new Error(`No "${deadline}" in:\n${text}`);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(match[1]!);
  return Date.UTC(Number(match[3]), month, Number(match[2])) / 86_400_000;
}

/** Opens a page from the admin's menu; a click made while App Bridge is still starting is made again. */
async function openFromMenu(link: string, shows: string) {
  for (let attempt = 1; ; attempt++) {
    await nav(link).click();
    try {
      await app.getByText(shows, { exact: true }).first().waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function fillWithPreset(label: string, value: string) {
  await openFromMenu("Settings", "Settings history");
  await app.getByLabel("Preset").selectOption(value);
  await app.getByRole("button", { name: "Fill the form with this preset" }).click();
  await app.getByText(`The form shows the ${label} preset`).waitFor({ timeout: 15_000 });
}

browserRun("the settings page and the order page in npm run demo", () => {
  let preview: Awaited<ReturnType<typeof previewWithSample>>;
  let sample: { order: string; deadline: string; days: number };
  let listed: string[];
  let dueBefore: number;

  it("previews Alley Accessory: which settings and rules change, and how far open orders' deadlines move", async () => {
    await withDemoLog(async () => {
      // The orders the home page lists (the latest ones), each a link to its page.
      await openFromMenu("Policy Guard", "Recent orders at ALLU Demo");
      listed = await app.getByRole("link", { name: /^#\d+$/ }).allInnerTexts();
      expect(listed.length).toBeGreaterThan(5);
      await fillWithPreset("Alley Accessory", "alleyAccessory");
      expect(await app.getByLabel("Return window").inputValue()).toBe("30");
      expect(await app.getByLabel("Ship to every country").isChecked()).toBe(true);
      preview = await previewWithSample();
      expect(preview.text).toMatch(/RET-1\s+Return window: 14 → 30/);
      expect(preview.text).toMatch(/SHP-3\tShips to US only\.\tShips worldwide\./);
      expect(preview.text).toMatch(/[1-9]\d* of \d+ open orders have deadlines that move/);
      await screenshot("settings-preview");
      // Nothing saved by a preview.
      expect(await body()).toMatch(/Saved as ALLU · revision 1/);
    });
  }, 120_000);

  it("opens a previewed order's timeline picture", async () => {
    await withDemoLog(async () => {
      // From its row on the home page when it is listed there (the latest orders), else from the preview's row.
      sample = preview.moves.find((move) => listed.includes(move.order)) ?? preview.moves[0]!;
      const text = listed.includes(sample.order)
        ? await openOrder(sample.order)
        : await openFromPreview(sample.order, ["Alley Accessory", "alleyAccessory"]);
      const picture = app.getByRole("img", { name: `Timeline of order ${sample.order}` });
      // Weekends (and holidays) shaded, deadlines drawn with their rule ids, events marked.
      expect(await picture.locator('g[data-business="false"]').count()).toBeGreaterThan(0);
      expect(await picture.locator("[data-deadline]").count()).toBeGreaterThan(0);
      expect(await picture.locator("[data-event]").count()).toBeGreaterThan(0);
      expect(text).toMatch(/Events[\s\S]*Placed/);
      dueBefore = dueDay(text, sample.deadline);
      await screenshot("order-timeline");
    });
  }, 120_000);

  it("saves Alley Accessory: each sync step done, in the history, and the deadline moves as previewed", async () => {
    await withDemoLog(async () => {
      await fillWithPreset("Alley Accessory", "alleyAccessory");
      await app.getByRole("button", { name: "Save and sync" }).click();
      await app.getByText("Saved as Alley Accessory (revision 2)").waitFor({ timeout: 30_000 });
      // The history is read again after the save.
      await app
        .getByText(/\(revision 2\)$/)
        .first()
        .waitFor({ timeout: 15_000 });
      const saved = await body();
      for (const step of ["Checkout validation", "Free-shipping discount", "Checkout rules on the shop"])
        expect(saved).toMatch(new RegExp(`Done\\s*${step}`));
      expect(saved).toMatch(/Done\s*Deadlines of the stored orders recomputed — \d+ orders? recomputed/);
      expect(saved).not.toMatch(/Failed|Not run/);
      expect(saved).toMatch(
        /Settings history[\s\S]*revision 2[\s\S]*Alley Accessory[\s\S]*RET-1 Return window: 14 → 30/,
      );
      await screenshot("settings-saved");
      const order = listed.includes(sample.order)
        ? await openOrder(sample.order)
        : await openFromPreview(sample.order, ["ALLU", "allu"]);
      expect(dueDay(order, sample.deadline) - dueBefore).toBe(sample.days);
    });
  }, 180_000);

  it("switches back to ALLU and the deadline returns", async () => {
    await withDemoLog(async () => {
      await fillWithPreset("ALLU", "allu");
      expect(await app.getByLabel("Return window").inputValue()).toBe("14");
      await app.getByRole("button", { name: "Save and sync" }).click();
      await app.getByText("Saved as ALLU (revision 3)").waitFor({ timeout: 30_000 });
      await app
        .getByText(/\(revision 3\)$/)
        .first()
        .waitFor({ timeout: 15_000 });
      expect(await body()).toMatch(/Settings history[\s\S]*revision 3[\s\S]*revision 2/);
      const order = listed.includes(sample.order)
        ? await openOrder(sample.order)
        : await openFromPreview(sample.order, ["Alley Accessory", "alleyAccessory"]);
      expect(dueDay(order, sample.deadline)).toBe(dueBefore);
    });
  }, 180_000);

  it("shows a bad value at its field and saves nothing", async () => {
    await withDemoLog(async () => {
      await openFromMenu("Settings", "Settings history");
      await app.getByLabel("Cancellation window").fill("two");
      expect(await app.getByLabel("Cancellation window").inputValue()).toBe("two");
      await app.getByRole("button", { name: "Save and sync" }).click();
      await app.getByText("Nothing was saved: fix these first").waitFor({ timeout: 15_000 });
      expect(await body()).toContain('must be a whole number (got "two")');
      expect(await body()).toMatch(/Saved as ALLU · revision 3/);
    });
  }, 60_000);
});
