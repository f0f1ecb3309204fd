import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings } from "../../app/policy";
import { formValues, toFormData, type FormValues } from "../../app/policy/settings-form";
import { extensionFunctions } from "../emulator/app-config";
import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import { startEmulator } from "../emulator/server";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";
import type * as SaveSettings from "../../app/services/shops/save-settings.server";
import type * as PreviewSettings from "../../app/services/shops/preview-settings.server";
import type * as History from "../../app/services/shops/settings-history.server";
import type * as LoadSettings from "../../app/services/shops/load-settings.server";
import type * as Shops from "../../app/services/shops/shops.server";
import type * as GatewayModule from "../../app/services/shopify/admin-gateway.server";
import type { Staff } from "../../app/services/shops/staff.server";

const store = createStore({ domain: "settings-shop.myshopify.com", name: "Settings Shop" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let save: typeof SaveSettings;
let preview: typeof PreviewSettings;
let history: typeof History;
let page: typeof LoadSettings;
let shops: typeof Shops;
let Gateway: typeof GatewayModule.AdminGateway;

const T = (iso: string) => new Date(iso);
const NOW = T("2026-11-12T12:00:00Z");
const maya = { id: "42", name: "Maya Chen" };
let delivered: Node;
let unshipped: Node;

beforeAll(async () => {
  app = await startAppHarness(store);
  save = await import("../../app/services/shops/save-settings.server");
  preview = await import("../../app/services/shops/preview-settings.server");
  history = await import("../../app/services/shops/settings-history.server");
  page = await import("../../app/services/shops/load-settings.server");
  shops = await import("../../app/services/shops/shops.server");
  ({ AdminGateway: Gateway } = await import("../../app/services/shopify/admin-gateway.server"));
  await shops.ensureShop(store.domain);
  const customer = shopper(store, { firstName: "Ana", lastName: "B", email: "ana@example.com" });
  // Delivered Sat 7 Nov 2026 (placed Mon 2 Nov, 15:00 UTC, delivered 26 + 120 hours later).
  delivered = orderAt(store, {
    customer,
    items: [oneOfAKind(store, { title: "Kelly 28", priceCents: 900_000 })],
    stage: "delivered",
    placedAt: T("2026-11-02T15:00:00Z"),
  });
  unshipped = orderAt(store, {
    customer,
    items: [oneOfAKind(store, { title: "Speedy 25", priceCents: 80_000 })],
    stage: "paid",
    placedAt: T("2026-11-11T15:00:00Z"),
  });
  orderAt(store, {
    customer,
    items: [oneOfAKind(store, { title: "Lady Dior", priceCents: 60_000 })],
    stage: "cancelled",
    placedAt: T("2026-11-05T15:00:00Z"),
  });
  await app.emulator.webhooks.idle();
  await app.drain(NOW);
}, 60_000);
afterAll(() => app?.close());

const presetForm = (name: "allu" | "alleyAccessory" | "alluressories") => formValues(presetSettings(name));
const changed = (edit: (values: FormValues) => void) => {
  const values = presetForm("allu");
  edit(values);
  return toFormData(values);
};
const saveForm = (form: FormData, staff: Staff = maya, expectedRevision?: number) =>
  save.saveShopSettings(app.prisma, {
    shop: store.domain,
    form,
    staff,
    now: NOW,
    expectedRevision,
    openGateway: app.gateway,
  });
const metafield = (owner: Node, key: string) =>
  JSON.parse((owner.metafields as Node[]).find((m) => m.key === key)!.value);
const deadlineOf = async (order: Node, key: string) =>
  (await app.prisma.orderDeadline.findUnique({ where: { orderId_key: { orderId: order.id, key } } }))?.dueAt ?? null;
/** What a save must not touch when it is refused. */
const savedState = async () => ({
  shop: await app.prisma.shop.findUniqueOrThrow({ where: { domain: store.domain } }),
  changes: await app.prisma.settingsChange.count(),
  deadlines: await app.prisma.orderDeadline.findMany({ orderBy: { id: "asc" } }),
  validations: JSON.stringify(store.validations),
  discounts: JSON.stringify(store.discounts),
  shopMetafields: JSON.stringify(store.shop.metafields ?? []),
});

/** A store of its own, with the app's Functions as given (which of them are deployed). */
async function storeWithFunctions(
  store: ReturnType<typeof createStore>,
  functions: ReturnType<typeof extensionFunctions>,
) {
  const emulator = await startEmulator({
    store,
    app: {
      apiKey: "k",
      secret: "s",
      title: "Policy Guard",
      handle: "policy-guard",
      appUrl: "http://127.0.0.1:9",
      functions,
    },
    subscribeFromToml: false,
  });
  await shops.ensureShop(store.domain);
  return {
    emulator,
    openGateway: async (shop: string) => new Gateway(shop, emulator.installToken(), { origin: emulator.origin }),
  };
}

describe("settings: bad input is reported at its field and nothing is saved or synced", () => {
  const cases: Array<{ name: string; edit: (v: FormValues) => void; field: string; message: RegExp }> = [
    {
      name: "a negative number",
      edit: (v) => (v["returns.windowDays"] = "-1"),
      field: "returns.windowDays",
      message: /cannot be negative/,
    },
    {
      name: "text in a number",
      edit: (v) => (v["cancellation.windowHours"] = "two hours"),
      field: "cancellation.windowHours",
      message: /must be a whole number \(got "two hours"\)/,
    },
    {
      name: "an unknown time zone",
      edit: (v) => (v["calendar.timeZone"] = "America/Atlantis"),
      field: "calendar.timeZone",
      message: /IANA time zone/,
    },
    {
      name: "a country that is not ISO",
      edit: (v) => (v["shipping.allowedCountries"] = ["US", "UK"]),
      field: "shipping.allowedCountries",
      message: /ISO 3166/,
    },
    {
      name: "a threshold in another currency",
      edit: (v) => (v["shipping.freeShippingThreshold"] = "500.00 EUR"),
      field: "shipping.freeShippingThreshold",
      message: /must be the shop currency USD, got EUR/,
    },
    {
      name: "min above max",
      edit: (v) => {
        v["timeline.processingBusinessDays.min"] = "3";
        v["timeline.processingBusinessDays.max"] = "2";
      },
      field: "timeline.processingBusinessDays.min",
      message: /min must not exceed max/,
    },
  ];

  for (const c of cases)
    it(c.name, async () => {
      const before = await savedState();
      const result = await saveForm(changed(c.edit));
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems;
      expect(problems.map((p) => p.path.startsWith(c.field))).toEqual([true]);
      expect(problems[0]!.message).toMatch(c.message);
      // The preview refuses it the same way, and neither wrote anything here or in Shopify.
      const previewed = await preview.previewSettings(app.prisma, store.domain, changed(c.edit));
      expect(previewed).toEqual({ ok: false, problems });
      expect(await savedState()).toEqual(before);
      expect(store.validations).toHaveLength(0);
    });

  it("every problem of one form at once", async () => {
    const result = await saveForm(
      changed((v) => {
        for (const c of cases) c.edit(v);
      }),
    );
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(cases.map((c) => expect.stringMatching(new RegExp(`^${c.field.replace(/\./g, "\\.")}`)))),
    );
    expect(await app.prisma.settingsChange.count()).toBe(0);
  });
});

describe("settings: preview, save and history", () => {
  it("previews which rules change and how many open orders' deadlines move, saving nothing", async () => {
    const before = await savedState();
    const result = await preview.previewSettings(app.prisma, store.domain, toFormData(presetForm("alleyAccessory")));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { preview: p } = result;
    expect(p.preset).toBe("alleyAccessory");
    expect(p.rules.map((r) => r.rule)).toEqual(expect.arrayContaining(["SHP-1", "SHP-3", "CAN-1", "RET-1", "RET-12"]));
    expect(p.changes).toContainEqual(
      expect.objectContaining({ path: "returns.windowDays", before: "14", after: "30" }),
    );
    // Two open orders (the cancelled one is not), both with a pending deadline that moves.
    expect(p.deadlines).toMatchObject({ orders: 2, ordersAffected: 2 });
    const sample = p.deadlines.sample.find((o) => o.orderId === delivered.id)!;
    expect(sample.shifts).toContainEqual(expect.objectContaining({ rule: "RET-1", by: "16 days later" }));
    expect(sample.shifts).toContainEqual(
      expect.objectContaining({ rule: "RET-12", to: "none", by: "no longer applies" }),
    );
    const pending = p.deadlines.sample.find((o) => o.orderId === unshipped.id)!;
    expect(pending.shifts).toEqual([expect.objectContaining({ rule: "CAN-1", by: "22 hours later" })]);
    expect(await savedState()).toEqual(before);
  });

  it("saves: the Functions' metafields, the discount and the stored deadlines follow, each step reported", async () => {
    const returnBy = await deadlineOf(delivered, "return_request_by");
    expect(await deadlineOf(delivered, "return_package_arrives_by")).not.toBeNull();
    const result = await saveForm(toFormData(presetForm("alleyAccessory")), maya, 1);
    expect(result).toMatchObject({ ok: true, unchanged: false, revision: 2, preset: "alleyAccessory" });
    if (!result.ok || result.unchanged) return;
    expect(result.report.ok).toBe(true);
    expect(result.report.steps.map((s) => [s.step, s.status])).toEqual([
      ["connect", "done"],
      ["read_state", "done"],
      ["validation", "done"],
      ["discount", "done"],
      ["shop_rules", "done"],
      ["deadlines", "done"],
    ]);
    expect(result.report.steps.find((s) => s.step === "deadlines")!.detail).toBe("3 orders recomputed");
    const validation = store.validations[0]!;
    expect(metafield(validation, "checkout-rules").shipping.allowedCountries).toBeNull();
    expect(metafield(store.discounts[0]!, "checkout-rules").shipping.freeShippingThreshold).toEqual({
      amount: 0,
      currency: "USD",
    });
    expect(store.discounts[0]!.automaticDiscount.title).toBe("Free shipping at $0.00 (SHP-1)");
    expect(metafield(store.shop, "checkout-rules").returns.paymentMethods).toBe("any");
    expect((await deadlineOf(delivered, "return_request_by"))!.getTime() - returnBy!.getTime()).toBe(16 * 86_400_000);
    expect(await deadlineOf(delivered, "return_package_arrives_by")).toBeNull();
    const row = await app.prisma.shop.findUniqueOrThrow({ where: { domain: store.domain } });
    expect(row).toMatchObject({ preset: "alleyAccessory", settingsRevision: 2 });
  });

  it("refuses a save over a revision it did not see, and an unchanged form saves nothing", async () => {
    const stale = await saveForm(
      changed((v) => (v["returns.windowDays"] = "20")),
      maya,
      1,
    );
    expect(stale.ok ? [] : stale.problems).toEqual([
      { path: "(settings)", message: expect.stringMatching(/changed \(now revision 2\) since this page was opened/) },
    ]);
    expect(await saveForm(toFormData(presetForm("alleyAccessory")), maya, 2)).toEqual({
      ok: true,
      unchanged: true,
      revision: 2,
    });
    expect(await app.prisma.settingsChange.count()).toBe(1);
  });

  it("keeps every change in the history: when, who, before and after, and the sync report", async () => {
    const back = await saveForm(toFormData(presetForm("allu")), { id: null, name: "staff (offline session)" }, 2);
    expect(back).toMatchObject({ ok: true, revision: 3, preset: "allu" });
    expect(metafield(store.validations[0]!, "checkout-rules").shipping.allowedCountries).toEqual(["US"]);
    const rows = await history.settingsHistory(app.prisma, store.domain);
    expect(rows.map((r) => [r.revision, r.preset, r.staff, r.staffId])).toEqual([
      [3, "allu", "staff (offline session)", null],
      [2, "alleyAccessory", "Maya Chen", "42"],
    ]);
    expect(rows[1]!.changedAt).toBe(NOW.toISOString());
    expect(rows[1]!.changes).toContainEqual(
      expect.objectContaining({ path: "returns.windowDays", before: "14", after: "30" }),
    );
    expect(rows[0]!.changes).toContainEqual(
      expect.objectContaining({ path: "returns.windowDays", before: "30", after: "14" }),
    );
    expect(rows.every((r) => r.sync?.ok)).toBe(true);
    const loaded = await page.loadSettingsPage(app.prisma, store.domain, null);
    expect(loaded).toMatchObject({ revision: 3, savedPreset: "allu", unfinishedSync: null });
    expect(loaded.history).toHaveLength(2);
  });

  it("a picked preset fills the form without saving it", async () => {
    const loaded = await page.loadSettingsPage(app.prisma, store.domain, "alleyAccessory");
    expect(loaded.values["returns.windowDays"]).toBe("30");
    expect(loaded.values["shipping.allowedCountries.worldwide"]).toBe(true);
    expect(loaded.timeZones).toContain("America/New_York");
    expect(loaded.countries).toContainEqual({ code: "US", name: "United States" });
    expect((await shops.shopSettings(store.domain)).returns.windowDays).toBe(14);
  });
});

describe("settings: a sync that fails half-way says which step, and a retry completes it", () => {
  const half = createStore({ domain: "half-synced.myshopify.com", name: "Half Synced" });
  // The discount Function is not deployed yet: the validation succeeds, the discount is refused.
  const functions = extensionFunctions().filter((f) => f.handle !== "free-shipping-discount");
  let side: Awaited<ReturnType<typeof storeWithFunctions>>;
  const openGateway = (shop: string) => side.openGateway(shop);
  beforeAll(async () => {
    side = await storeWithFunctions(half, functions);
  });
  afterAll(() => side?.emulator.close());

  it("reports the failed step with Shopify's userErrors, keeps the saved settings, and a retry completes it", async () => {
    const result = await save.saveShopSettings(app.prisma, {
      shop: half.domain,
      form: toFormData(presetForm("alleyAccessory")),
      staff: maya,
      now: NOW,
      openGateway,
    });
    if (!result.ok || result.unchanged) throw new Error("expected a saved change");
    expect(result.report.ok).toBe(false);
    expect(result.report.steps.map((s) => [s.step, s.status])).toEqual([
      ["connect", "done"],
      ["read_state", "done"],
      ["validation", "done"],
      ["discount", "failed"],
      ["shop_rules", "not_run"],
      ["deadlines", "done"],
    ]);
    // Shopify answers a missing Function with "Function not found." (the emulator's answer, whichever form it takes, is kept).
    expect(result.report.steps.find((s) => s.step === "discount")!.detail).toMatch(
      /half-synced\.myshopify\.com|Function not found/,
    );
    expect(half.validations).toHaveLength(1);
    expect(half.discounts).toHaveLength(0);
    // Saved, and the page says the sync did not finish.
    expect((await shops.shopSettings(half.domain)).returns.windowDays).toBe(30);
    const loaded = await page.loadSettingsPage(app.prisma, half.domain, null);
    expect(loaded.unfinishedSync?.report?.steps.find((s) => s.status === "failed")?.step).toBe("discount");

    functions.push(extensionFunctions().find((f) => f.handle === "free-shipping-discount")!);
    const retried = await save.retrySettingsSync(app.prisma, half.domain, { now: NOW, openGateway });
    expect(retried).toMatchObject({ ok: true, changeId: result.changeId, report: { ok: true, attempt: 2 } });
    expect(half.validations).toHaveLength(1);
    expect(half.discounts).toHaveLength(1);
    expect(metafield(half.discounts[0]!, "checkout-rules").shipping.allowedCountries).toBeNull();
    expect(metafield(half.shop, "checkout-rules").returns.paymentMethods).toBe("any");
    const [row] = await history.settingsHistory(app.prisma, half.domain);
    expect(row!.sync).toMatchObject({ ok: true, attempt: 2 });
    expect((await page.loadSettingsPage(app.prisma, half.domain, null)).unfinishedSync).toBeNull();
  });
});

describe("settings: Shopify's userErrors are reported at the step Shopify refused", () => {
  const bare = createStore({ domain: "no-functions.myshopify.com", name: "No Functions" });
  let side: Awaited<ReturnType<typeof storeWithFunctions>>;
  // The app's Functions are not deployed at all: the validation cannot be created.
  beforeAll(async () => {
    side = await storeWithFunctions(bare, []);
  });
  afterAll(() => side?.emulator.close());

  it("names the validation step with Shopify's field, message and code", async () => {
    const result = await save.saveShopSettings(app.prisma, {
      shop: bare.domain,
      form: changed((v) => (v["returns.windowDays"] = "21")),
      staff: maya,
      now: NOW,
      openGateway: side.openGateway,
    });
    if (!result.ok || result.unchanged) throw new Error("expected a saved change");
    const validation = result.report.steps.find((s) => s.step === "validation")!;
    expect(validation).toMatchObject({
      status: "failed",
      detail: "Creating the checkout validation failed: Function not found. (validation.functionHandle)",
      userErrors: [
        { field: ["validation", "functionHandle"], message: "Function not found.", code: "FUNCTION_NOT_FOUND" },
      ],
    });
    expect(result.report.steps.filter((s) => s.status === "not_run").map((s) => s.step)).toEqual([
      "discount",
      "shop_rules",
    ]);
    expect(bare.validations).toHaveLength(0);
  });
});
