import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser";
import { ROOT } from "../support/server";

// CI installs Debian's chromium; a local run without it says so instead of failing.
const run = chromiumAvailable() || process.env.CI ? describe : describe.skip;
if (!chromiumAvailable())
  console.warn("Skipping the browser test: install Debian's chromium (apt-get install chromium).");

let demo: ChildProcess;
let output = "";

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(output);
    if (match) return match;
    if (demo.exitCode !== null) throw new Error(`npm run demo exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm run demo printed no ${pattern} in time:\n${output}`);
}

run("npm run demo, opened in a browser as a new user would", () => {
  beforeAll(() => {
    demo = spawn("npm", ["run", "demo"], {
      cwd: ROOT,
      env: { ...process.env, DEMO_APP_PORT: "0", DEMO_ADMIN_PORT: "0" },
      detached: true,
    });
    demo.stdout!.on("data", (chunk) => (output += chunk));
    demo.stderr!.on("data", (chunk) => (output += chunk));
  });
  afterAll(() => {
    if (demo.exitCode === null) process.kill(-demo.pid!, "SIGTERM");
  });

  it("shows the app's home page with the demo store's orders fetched from the emulator", async () => {
    const [, adminUrl] = await waitFor(/Open the Shopify admin:\s+(\S+)/, 120_000);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ userAgent: BROWSER_UA, viewport: { width: 1280, height: 1000 } });
      await page.goto(adminUrl!);
      await page.getByText("Open Policy Guard").click();
      await page.getByText("Recent orders at ALLU Demo").waitFor({ timeout: 30_000 });
      const body = await page.textContent("body");
      for (const name of ["#1001", "#1004", "#1007"]) expect(body).toContain(name);
      expect(body).toContain("Maya Chen");
      expect(body).toContain("SHP-1");
      // The install backfilled the store's orders through the Admin API; the worker built their deadlines.
      let attention = "";
      for (
        let attempt = 0;
        attempt < 20 && !/Due in the next 24 hours(?!Nothing)[\s\S]*?#1007[\s\S]*PayPal/.test(attention);
        attempt++
      ) {
        await new Promise((r) => setTimeout(r, 1_000));
        await page.goto(adminUrl!.replace(/\/admin$/, "/admin/apps/policy-guard"));
        await page.getByText("Due in the next 24 hours").waitFor({ timeout: 30_000 });
        attention = (await page.textContent("body")) ?? "";
      }
      expect(attention).toMatch(/Due in the next 24 hours[\s\S]*#1007[\s\S]*CAN-1 Cancellation window ends/);
      // Payment facts (RET-3) and next deadlines come from the stored timelines.
      expect(attention).toContain("PayPal");
      expect(attention).toContain("Card + Gift card");
      expect(attention).toMatch(/RET-1 Return must be requested by|RET-9 Wrong item must be reported by/);
      mkdirSync(join(ROOT, "test-results"), { recursive: true });
      await page.screenshot({ path: join(ROOT, "test-results/demo-home.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
