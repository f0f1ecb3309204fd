import type { Browser, FrameLocator, Page } from "playwright-core";
import { describe } from "vitest";
import { appBuild } from "./app-build";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "./browser";
import { startDemo, type RunningDemo } from "./demo-process";

/**
 * `describe` for tests that need Debian's chromium. CI installs it, so there a missing browser
 * fails; a local run without it says so instead of failing.
 */
export function browserDescribe(what: string): typeof describe | typeof describe.skip {
  if (chromiumAvailable() || process.env.CI) return describe;
  console.warn(`Skipping ${what} in a browser: install Debian's chromium.`);
  return describe.skip;
}

/** `npm run demo` in a browser, on the app's home page inside the emulated admin. */
export interface DemoInBrowser {
  demo: RunningDemo;
  page: Page;
  /** The app's frame inside the admin. */
  app: FrameLocator;
  /** The app frame's visible text. */
  body(): Promise<string>;
  /** Runs a check; a failure says what the demo printed. */
  withDemoLog(check: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function openDemoInBrowser(viewport: { width: number; height: number }): Promise<DemoInBrowser | null> {
  const buildDir = await appBuild();
  if (!chromiumAvailable()) return null;
  let browser: Browser | undefined;
  let demo: RunningDemo | undefined;
  const close = async () => {
    await browser?.close();
    await demo?.stop();
  };
  try {
    browser = await launchChromium();
    demo = await startDemo({ buildDir });
    const page = await browser.newPage({ userAgent: BROWSER_UA, viewport });
    await page.goto(demo.adminUrl);
    await page.getByText("Open Policy Guard").click();
    const app = page.frameLocator("#app-frame");
    await app.getByText("Recent orders at ALLU Demo").waitFor({ timeout: 30_000 });
    const running = demo;
    return {
      demo: running,
      page,
      app,
      body: () => app.locator("body").innerText(),
      async withDemoLog(check) {
        try {
          await check();
        } catch (error) {
          (error as Error).message +=
            `\n--- at ${page.url()}; npm run demo printed:\n${running.output().slice(-6_000)}`;
          throw error;
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
