import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasCompletedAudit, InventoryAuditStatus, InventoryFindingsCard } from "../../app/components/inventory-guard";
import { INVENTORY_FACTS_QUERY } from "../../app/services/inventory/inventory-documents";
import { presetSettings } from "../../app/policy";
import { oneOfAKind } from "../emulator/builders";
import { demoStore } from "../emulator/demo-store";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import type * as Gateway from "../../app/services/shopify/admin-gateway.server";
import type * as Guard from "../../app/services/inventory/inventory-guard.server";
import type * as Shops from "../../app/services/shops/shops.server";

// The demo store as a merchant installs it: its products exist before the app does, so no webhook
// has told the app anything. 110 more listings make the audit take two pages of variants.
const store = demoStore(new Date("2026-11-20T15:00:00Z"));
for (let n = 1; n <= 110; n++) oneOfAKind(store, { title: `Vintage silk scarf no. ${n}`, priceCents: 25_000 });
const TOTAL_VARIANTS = store.products.reduce((sum, p) => sum + p.variants.length, 0);
const gucci = store.products.find((p) => p.title === "Gucci Dionysus Mini")!;
const settings = presetSettings("allu");

let app: Awaited<ReturnType<typeof startAppHarness>>;
let guard: typeof Guard;
let shops: typeof Shops;
let AdminGateway: typeof Gateway.AdminGateway;
beforeAll(async () => {
  app = await startAppHarness(store);
  guard = await import("../../app/services/inventory/inventory-guard.server");
  shops = await import("../../app/services/shops/shops.server");
  ({ AdminGateway } = await import("../../app/services/shopify/admin-gateway.server"));
});
afterAll(() => app.close());

/** The real gateway to the emulator, holding the second page of variant facts until released. */
function gatedGateway() {
  let release!: () => void;
  let reached!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const atSecondPage = new Promise<void>((resolve) => (reached = resolve));
  class Gated extends AdminGateway {
    override async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
      if (document === INVENTORY_FACTS_QUERY && variables?.after) {
        reached();
        await released;
      }
      return super.request<T>(document, variables);
    }
  }
  const gateway = new Gated(store.domain, app.emulator.installToken(), { origin: app.emulator.origin });
  return { gateway, atSecondPage, release };
}

/** The page's audit status and findings as rendered: the text a merchant reads, and its elements. */
function renderedPage(view: Guard.InventoryGuardView) {
  const html = renderToStaticMarkup(
    createElement(
      AppProvider,
      { i18n: en },
      createElement(InventoryAuditStatus, { audit: view.audit }),
      createElement(InventoryFindingsCard, { findings: view.findings, auditCompleted: hasCompletedAudit(view.audit) }),
    ),
  );
  const decode = (text: string) =>
    text
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  /** Every `<tag …>` with its attributes, and its text when it holds only text. */
  const elements = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>(?:([^<]*)</${tag}>)?`, "g"))].map((m) => ({
      attributes: Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], decode(a[2]!)])),
      text: decode(m[2] ?? ""),
    }));
  return { html, text: decode(html.replace(/<[^>]*>/g, "")), elements };
}
const pageText = (view: Guard.InventoryGuardView) => renderedPage(view).text;

const legacyId = (node: Node) => node.id.split("/").pop();

describe("inventory guard: the first audit runs on install, and nothing is called safe before it", () => {
  it("says 'Not checked yet' on a fresh install, shows the install's audit running, then finds the untracked bag", async () => {
    const before = await guard.loadInventoryGuard(app.prisma, store.domain, settings);
    expect(before).toEqual({ audit: { status: "not_checked" }, findings: [] });
    const fresh = pageText(before);
    expect(fresh).toContain("Not checked yet");
    expect(fresh).not.toMatch(/safe/i);

    const { gateway, atSecondPage, release } = gatedGateway();
    const installing = shops.afterInstall(store.domain, async () => gateway);
    await Promise.race([
      atSecondPage,
      installing.then(() => Promise.reject(new Error("the install finished without auditing the variants"))),
    ]);
    const running = await guard.loadInventoryGuard(app.prisma, store.domain, settings);
    expect(running.audit).toEqual({ status: "running", checked: 100, total: TOTAL_VARIANTS, lastCompletedAt: null });
    const progress = pageText(running);
    expect(progress).toContain("Checking inventory");
    expect(progress).toContain(`Checked 100 of ${TOTAL_VARIANTS} variants`);
    expect(progress).not.toMatch(/is safe/i);

    release();
    await installing;
    const done = await guard.loadInventoryGuard(app.prisma, store.domain, settings);
    expect(done.audit).toMatchObject({ status: "done", checked: TOTAL_VARIANTS });
    expect(done.findings).toEqual([
      {
        variantId: gucci.variants[0].id,
        productTitle: "Gucci Dionysus Mini",
        variantTitle: null,
        imageUrl: gucci.media[0].image.url,
        productAdminUrl: `shopify://admin/products/${legacyId(gucci)}`,
        available: 3,
        problems: [
          expect.objectContaining({ rule: "INV-2", code: "NOT_TRACKED" }),
          expect.objectContaining({ rule: "INV-2", code: "OVERSELLING_ALLOWED" }),
          expect.objectContaining({ rule: "INV-2", code: "TOO_MANY_AVAILABLE" }),
        ],
      },
    ]);
    expect(done.findings[0]!.imageUrl).toMatch(/^data:image\/svg\+xml,/);

    const { html, text, elements } = renderedPage(done);
    expect(text).toContain("1 one-of-a-kind variant can be oversold");
    expect(text).toContain("Gucci Dionysus Mini");
    expect(text).toContain("3 available");
    expect(text).toContain("Inventory is not tracked, so a sold item can be bought again.");
    expect(text).not.toContain(legacyId(gucci.variants[0]));
    expect(text).not.toMatch(/Every one-of-a-kind variant is safe/);
    expect(elements("a")).toEqual([
      {
        attributes: expect.objectContaining({ href: `shopify://admin/products/${legacyId(gucci)}`, target: "_top" }),
        text: "Gucci Dionysus Mini",
      },
    ]);
    // Titles and problems wrap inside the card however long (Polaris Text breakWord).
    expect(elements("h3").map((h) => h.attributes.class)).toEqual([expect.stringContaining("Polaris-Text--break")]);
    for (const problem of done.findings[0]!.problems)
      expect(html).toMatch(new RegExp(`<span class="[^"]*Polaris-Text--break[^"]*">${problem.message.slice(0, 20)}`));
    expect(elements("img").map((img) => img.attributes)).toEqual([
      expect.objectContaining({ alt: "Gucci Dionysus Mini", src: gucci.media[0].image.url }),
    ]);

    // Alongside the audit, the install still synced the policy and backfilled the orders.
    expect(store.validations).toHaveLength(1);
    expect(await app.prisma.syncState.findUnique({ where: { shop: store.domain } })).not.toBeNull();
  });

  it("calls the variants safe only once an audit has completed with nothing found", async () => {
    const gateway = await app.gateway(store.domain);
    const before = await guard.auditInventory(app.prisma, store.domain, settings);
    expect(await guard.fixInventory(gateway, before, settings)).toEqual([]);
    expect(await guard.runInventoryAudit(app.prisma, gateway)).toMatchObject({ status: "done" });
    const view = await guard.loadInventoryGuard(app.prisma, store.domain, settings);
    expect(view.findings).toEqual([]);
    expect(pageText(view)).toContain("Every one-of-a-kind variant is safe");
  });

  it("records a failed audit with its reason, keeping the last completed one, and never calls a shop safe that was never checked", async () => {
    class Unreachable extends AdminGateway {
      override async request<T>(): Promise<T> {
        throw new Error("Admin API request failed for allu-demo.myshopify.com: 503 Service Unavailable");
      }
    }
    const failed = await guard.runInventoryAudit(
      app.prisma,
      new Unreachable(store.domain, "token", { origin: app.emulator.origin }),
    );
    expect(failed).toMatchObject({
      status: "failed",
      message: "Admin API request failed for allu-demo.myshopify.com: 503 Service Unavailable",
      lastCompletedAt: expect.any(Date),
    });
    const view = pageText(await guard.loadInventoryGuard(app.prisma, store.domain, settings));
    expect(view).toContain("The inventory check failed");
    expect(view).toContain("503 Service Unavailable");

    // Another shop whose install could not reach Shopify: failed, nothing found, nothing called safe.
    const other = "other-store.myshopify.com";
    await shops.afterInstall(other, async () => {
      throw new Error(`No offline access token for ${other}: the app is not installed there`);
    });
    const otherView = await guard.loadInventoryGuard(app.prisma, other, settings);
    expect(otherView).toMatchObject({
      audit: { status: "failed", message: expect.stringContaining("No offline access token"), lastCompletedAt: null },
      findings: [],
    });
    const otherText = pageText(otherView);
    expect(otherText).toContain("No check has completed yet, so nothing is known to be safe.");
    expect(otherText).not.toContain("Every one-of-a-kind variant is safe");
  });

  it("runs one audit per shop at a time; one that stopped making progress is taken over", async () => {
    const shop = "audit-claims.myshopify.com";
    const t0 = new Date("2026-11-20T15:00:00Z");
    const first = await guard.beginInventoryAudit(app.prisma, shop, t0);
    expect(first).toEqual({ shop, startedAt: t0 });
    expect(await guard.beginInventoryAudit(app.prisma, shop, new Date(t0.getTime() + 60_000))).toBeNull();
    expect(await guard.inventoryAuditState(app.prisma, shop, new Date(t0.getTime() + 60_000))).toMatchObject({
      status: "running",
      checked: 0,
      total: null,
    });
    const later = new Date(t0.getTime() + guard.STALE_AUDIT_MS + 1);
    expect(await guard.inventoryAuditState(app.prisma, shop, later)).toMatchObject({
      status: "failed",
      message: "The check stopped before it finished.",
    });
    const second = await guard.beginInventoryAudit(app.prisma, shop, later);
    expect(second).toEqual({ shop, startedAt: later });
    // The stalled run's late outcome no longer counts.
    await guard.failInventoryAudit(app.prisma, first!, new Error("late"), later);
    expect(await guard.inventoryAuditState(app.prisma, shop, later)).toMatchObject({ status: "running" });
  });

  it("shop/redact erases the audit with the inventory facts", async () => {
    expect(await app.prisma.inventoryAudit.count({ where: { shop: store.domain } })).toBe(1);
    app.emulator.compliance.shopRedact();
    await app.emulator.webhooks.idle();
    await app.drain();
    expect(await app.prisma.inventoryAudit.count({ where: { shop: store.domain } })).toBe(0);
    expect(await app.prisma.variantInventory.count({ where: { shop: store.domain } })).toBe(0);
    expect(await guard.inventoryAuditState(app.prisma, store.domain)).toEqual({ status: "not_checked" });
  });
});
