import { addCustomer, type CustomerSpec } from "./actions/customers";
import { addProduct, type ProductSpec } from "./actions/catalog";
import { cancelOrder, fulfill, placeOrder, trackingEvent, type OrderSpec, type PaymentSpec } from "./actions/orders";
import { approveReturn, attachReturnLabel, processReturn, requestReturn } from "./actions/returns";
import { cents } from "./money";
import { EmulatedStore, type Node, type PaymentKind, type ShopOptions } from "./store";

/** Builders shared by tests, benchmarks and the demo seed. */
export function createStore(options: Partial<ShopOptions> = {}): EmulatedStore {
  return new EmulatedStore({
    domain: "allu-demo.myshopify.com",
    name: "ALLU Demo",
    ianaTimezone: "America/New_York",
    currencyCode: "USD",
    ...options,
  });
}

/** The product metafield that carries an item's condition rank (INV-4). */
export const CONDITION_RANK = { namespace: "custom", key: "condition_rank" } as const;

export interface ItemSpec {
  title: string;
  priceCents: number;
  compareAtPriceCents?: number | null;
  rank?: string;
  kind?: "Watch" | "Bag" | "Jewelry" | "Accessory";
  tags?: string[];
  /** Inventory as found on a misconfigured store (INV-2). */
  inventory?: { tracked?: boolean; policy?: "DENY" | "CONTINUE"; available?: number };
  /** The product's photo (its featured media); none when left out. */
  imageUrl?: string;
}

/** A one-of-a-kind pre-owned item: one variant, one unit, tracked, never oversold. */
export function oneOfAKind(store: EmulatedStore, spec: ItemSpec): Node {
  const product: ProductSpec = {
    title: spec.title,
    productType: spec.kind ?? "Accessory",
    tags: [...(spec.kind === "Watch" ? ["watch"] : []), ...(spec.tags ?? [])],
    metafields: spec.rank ? { [`${CONDITION_RANK.namespace}.${CONDITION_RANK.key}`]: spec.rank } : {},
    images: spec.imageUrl ? [{ url: spec.imageUrl, alt: spec.title }] : [],
    variants: [
      {
        sku: spec.title
          .toUpperCase()
          .replace(/[^A-Z0-9]+/g, "-")
          .slice(0, 24),
        priceCents: spec.priceCents,
        compareAtPriceCents: spec.compareAtPriceCents ?? null,
        tracked: spec.inventory?.tracked ?? true,
        inventoryPolicy: spec.inventory?.policy ?? "DENY",
        available: spec.inventory?.available ?? 1,
      },
    ],
  };
  return addProduct(store, product);
}

export function shopper(store: EmulatedStore, spec: CustomerSpec): Node {
  return addCustomer(store, spec);
}

export const variantOf = (product: Node): Node => product.variants[0];

export type Stage =
  | "placed"
  | "paid"
  | "shipped"
  | "in_transit"
  | "delivered"
  | "return_requested"
  | "return_approved"
  | "refunded"
  | "cancelled";

const STAGE_ORDER: Stage[] = [
  "placed",
  "paid",
  "shipped",
  "in_transit",
  "delivered",
  "return_requested",
  "return_approved",
  "refunded",
];

export interface LifecycleSpec {
  customer?: Node | null;
  items: Node[];
  stage: Stage;
  payment?: PaymentKind | PaymentSpec[];
  placedAt: Date;
  /** Hours after placement for each later step (defaults spread a realistic life). */
  shippedAfterHours?: number;
  deliveredAfterHours?: number;
  shippingCents?: number;
  taxCents?: number;
  countryCode?: string;
  carrier?: string;
}

const hours = (date: Date, h: number) => new Date(date.getTime() + h * 3_600_000);

/** An order taken through its life up to `stage`, every step at realistic times after `placedAt`. */
export function orderAt(store: EmulatedStore, spec: LifecycleSpec): Node {
  const payments: PaymentSpec[] =
    spec.payment === undefined
      ? [{ kind: "card" }]
      : typeof spec.payment === "string"
        ? [{ kind: spec.payment }]
        : spec.payment;
  const orderSpec: OrderSpec = {
    customer: spec.customer ?? null,
    lines: spec.items.map((product) => ({ variant: variantOf(product) })),
    placedAt: spec.placedAt,
    shippingCents: spec.shippingCents,
    taxCents: spec.taxCents,
    shippingAddress: { countryCode: spec.countryCode ?? "US" },
    payments,
  };
  const order = placeOrder(store, orderSpec);
  if (spec.stage === "cancelled") {
    cancelOrder(store, order, hours(spec.placedAt, 1));
    return order;
  }
  const reached = (stage: Stage) => STAGE_ORDER.indexOf(spec.stage) >= STAGE_ORDER.indexOf(stage);
  if (!reached("shipped")) return order;
  const shippedAt = hours(spec.placedAt, spec.shippedAfterHours ?? 26);
  const fulfillment = fulfill(store, order, { at: shippedAt, company: spec.carrier ?? "FedEx" });
  if (!reached("in_transit")) return order;
  trackingEvent(store, fulfillment, "IN_TRANSIT", hours(shippedAt, 6));
  if (!reached("delivered")) return order;
  const deliveredAt = hours(spec.placedAt, spec.deliveredAfterHours ?? 26 + 24 * 5);
  trackingEvent(store, fulfillment, "DELIVERED", deliveredAt);
  if (!reached("return_requested")) return order;
  const ret = requestReturn(
    store,
    order,
    (fulfillment.fulfillmentLineItems as Node[]).map((fli) => ({
      fulfillmentLineItemId: fli.id,
      quantity: fli.quantity,
      returnReason: "UNWANTED",
    })),
    hours(deliveredAt, 48),
  );
  if (!reached("return_approved")) return order;
  approveReturn(store, ret, hours(deliveredAt, 50));
  attachReturnLabel(
    store,
    ret.reverseFulfillmentOrders[0],
    { fileUrl: `https://labels.example/${ret.id.split("/").pop()}.pdf`, trackingNumber: "RL123456789US" },
    hours(deliveredAt, 50),
  );
  if (!reached("refunded")) return order;
  // Received and inspected a week later: refunded what was paid for the items and their tax, never shipping.
  const itemsCents = (order.lineItems as Node[]).reduce((sum, line) => sum + line._discountedTotalCents, 0);
  const refundCents = itemsCents + cents(order.totalTaxSet.shopMoney.amount);
  processReturn(
    store,
    ret,
    (ret.returnLineItems as Node[]).map((line) => ({ returnLineItemId: line.id, quantity: line.quantity })),
    refundCents,
    hours(deliveredAt, 24 * 7),
  );
  return order;
}
