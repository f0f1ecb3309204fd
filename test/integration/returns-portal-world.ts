import { presetSettings, type PolicySettings } from "../../app/policy";
import { fulfill, placeOrder, trackingEvent, type PaymentSpec } from "../emulator/actions/orders";
import { createStore, oneOfAKind, shopper, variantOf } from "../emulator/builders";
import type { EmulatedStore, Node } from "../emulator/store";
import { startAppHarness } from "../support/app-harness";

/**
 * The return portal's services against the store emulator and a migrated database, with
 * orders taken through their life in the emulator and ingested through the real webhooks.
 * Times are always given: the services take `now`, and the emulator's clock is set to it
 * before anything changes Shopify, so Shopify's own timestamps agree.
 */
export async function portalWorld(settings: PolicySettings = presetSettings()) {
  const store = createStore();
  const app = await startAppHarness(store);
  await app.prisma.shop.create({ data: { domain: store.domain, settings: settings as object } });
  const services = {
    ...(await import("../../app/services/returns/return-options.server")),
    ...(await import("../../app/services/returns/request-return.server")),
    ...(await import("../../app/services/returns/cancel-order.server")),
    ...(await import("../../app/services/returns/return-status.server")),
    ...(await import("../../app/services/returns/customer-orders.server")),
  };
  const { PortalError } = await import("../../app/services/returns/portal-errors");
  /** Admin API requests the services made, by operation name. */
  const calls: string[] = [];
  const gateway = async (shop: string) => {
    const inner = await app.gateway(shop);
    const request = inner.request.bind(inner);
    inner.request = (<T>(document: string, variables?: Record<string, unknown>) => {
      calls.push(/(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous");
      return request<T>(document, variables);
    }) as typeof inner.request;
    return inner;
  };
  const deps = { db: app.prisma, gateway };
  const sync = async (now?: Date) => {
    await app.emulator.webhooks.idle();
    await app.drain(now);
  };
  return { store, app, deps, calls, sync, services, PortalError };
}

export type PortalWorld = Awaited<ReturnType<typeof portalWorld>>;

export const T = (iso: string) => new Date(iso);

export interface ItemSpec {
  title: string;
  priceCents: number;
  compareAtPriceCents?: number;
  tags?: string[];
}

export interface OrderStory {
  customer: Node;
  items: ItemSpec[];
  placedAt: Date;
  payments?: PaymentSpec[];
  shippingCents?: number;
  shippingDiscountCents?: number;
  taxCents?: number;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
}

let items = 0;

/** An order placed, shipped and delivered (as far as the story goes) in the emulator. */
export function storyOrder(store: EmulatedStore, story: OrderStory): Node {
  const products = story.items.map((item) => oneOfAKind(store, { ...item, title: `${item.title} ${++items}` }));
  const order = placeOrder(store, {
    customer: story.customer,
    lines: products.map((p) => ({ variant: variantOf(p) })),
    placedAt: story.placedAt,
    shippingCents: story.shippingCents ?? 2_500,
    shippingDiscountCents: story.shippingDiscountCents,
    taxCents: story.taxCents,
    payments: story.payments,
  });
  if (!story.shippedAt) return order;
  const fulfillment = fulfill(store, order, { at: story.shippedAt });
  if (story.deliveredAt) trackingEvent(store, fulfillment, "DELIVERED", story.deliveredAt);
  return order;
}

export function customer(store: EmulatedStore, name: string): Node {
  return shopper(store, { firstName: name, lastName: "Shopper", email: `${name.toLowerCase()}@example.com` });
}

/** A real JPEG's first bytes: the portal checks what the bytes are, not what the name says. */
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
