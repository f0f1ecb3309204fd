/**
 * SHP-4 as Shopify's fulfillments/* webhooks are applied: the parcel's carrier (tracking company,
 * URL, or the service), and the signature (only the shipping service can say it: Shopify exposes
 * no signature option) are audited; a flagged domestic parcel shows on the order's timeline, in
 * "Needs attention" and on the health page, with what was found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetSettings, type PolicySettings } from "../../app/policy";
import { fulfill, placeOrder } from "../emulator/actions/orders";
import { createStore, oneOfAKind, shopper, variantOf } from "../emulator/builders";
import type { Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

const store = createStore({ domain: "signature-shop.myshopify.com", name: "Signature Shop" });
let app: Awaited<ReturnType<typeof startAppHarness>>;
let settings: PolicySettings;
const T = (iso: string) => new Date(iso);
const NOW = T("2026-11-06T17:00:00Z");

beforeAll(async () => {
  app = await startAppHarness(store);
  settings = presetSettings();
  settings.shipping.carriers = ["FedEx", "UPS"];
  await app.prisma.shop.create({ data: { domain: store.domain, settings: settings as object } });
}, 60_000);
afterAll(() => app?.close());

let n = 0;
async function shipped(spec: {
  service: string;
  company: string;
  trackingUrl?: string;
  country?: string;
}): Promise<Node> {
  const customer = shopper(store, { firstName: "Sig", lastName: `N${++n}`, email: `sig${n}@example.com` });
  const order = placeOrder(store, {
    customer,
    lines: [{ variant: variantOf(oneOfAKind(store, { title: `Watch ${n}`, priceCents: 700_000 })) }],
    placedAt: T("2026-11-02T15:00:00Z"),
    shippingCents: 2_000,
    shippingTitle: spec.service,
    shippingAddress: spec.country ? { countryCode: spec.country } : undefined,
  });
  fulfill(store, order, { at: T("2026-11-03T15:00:00Z"), company: spec.company, trackingUrl: spec.trackingUrl });
  await app.emulator.webhooks.idle();
  await app.drain(NOW);
  return order;
}

const flags = (order: Node) =>
  app.prisma.orderEvent.findMany({ where: { orderId: order.id, kind: "fulfillment_flagged" } });
const alerts = (order: Node) =>
  app.prisma.orderAlert.findMany({ where: { orderId: order.id, kind: "fulfillment_flagged" } });

describe("SHP-4: signature on every domestic parcel", () => {
  it("a USPS parcel without signature on a domestic order is flagged: timeline, Needs attention, health page", async () => {
    const order = await shipped({ service: "USPS Priority Mail", company: "USPS" });
    const [event] = await flags(order);
    expect(event).toMatchObject({ ref: order.fulfillments[0].id, occurredAt: T("2026-11-03T15:00:00Z") });
    expect(event!.source).toBe(
      'SHP-4: USPS, USPS Priority Mail. Shipped with USPS, not one of FedEx, UPS. Sent without signature confirmation: the shipping service ("USPS Priority Mail") names none.',
    );
    expect(await alerts(order)).toHaveLength(1);

    const { loadAttention } = await import("../../app/services/shops/home.server");
    const listed = (await loadAttention(app.prisma, store.domain, settings, NOW)).alerts.find(
      (a) => a.order === order.name,
    );
    expect(listed?.label).toContain("Parcel sent against the carrier or signature rule: USPS, USPS Priority Mail.");

    const { checkHealth } = await import("../../app/services/shops/health.server");
    const report = await checkHealth(app.prisma, await app.gateway(store.domain), settings, NOW, []);
    const check = report.checks.find((c) => c.id === "fulfillment-audit")!;
    expect(check).toMatchObject({ state: "drift", rules: ["SHP-4"] });
    expect(check.details).toContain(`${order.name}: ${event!.source}`);
  });

  it("a FedEx parcel with signature is not flagged", async () => {
    const order = await shipped({ service: "FedEx 2Day, signature required", company: "FedEx" });
    expect(await flags(order)).toEqual([]);
    expect(await alerts(order)).toEqual([]);
  });

  it("the carrier is read from the tracking URL when the company is not one Shopify knows", async () => {
    const other = await shipped({
      service: "Ground, signature required",
      company: "Other",
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999",
    });
    expect(await flags(other)).toEqual([]);
    const dhl = await shipped({ service: "Express, signature required", company: "DHL Express" });
    const [event] = await flags(dhl);
    expect(event!.source).toBe("SHP-4: DHL, Express, signature required. Shipped with DHL, not one of FedEx, UPS.");
  });

  it("an international parcel is not audited against the domestic rule", async () => {
    const order = await shipped({ service: "USPS Priority Mail International", company: "USPS", country: "CA" });
    expect(await flags(order)).toEqual([]);
  });
});
