import { approveReturn, attachReturnLabel, declineReturn, processReturn, requestReturn } from "./actions/returns";
import { setDeliveryProfile } from "./actions/shipping";
import { createStore, oneOfAKind, orderAt, shopper } from "./builders";
import { cancelReturn } from "./resolvers/return-queue";
import type { EmulatedStore, Node } from "./store";

/** A moment before `now`; every story in the demo is told relative to when it starts. */
const ago = (now: Date, { days = 0, hours = 0, minutes = 0 }) =>
  new Date(now.getTime() - ((days * 24 + hours) * 60 + minutes) * 60_000);

/**
 * A product photo for the demo: a monogram drawn inline, so the admin shows it
 * with no network (the emulator's own products carry whatever URL a test gives).
 */
function monogram(letters: string, background: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">` +
    `<rect width="400" height="400" fill="${background}"/>` +
    `<text x="200" y="230" font-family="Georgia, serif" font-size="120" fill="#fff" text-anchor="middle">${letters}</text>` +
    `</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * The demo store: ALLU's kind of catalog (one-of-a-kind watches, bags and
 * jewelry with condition ranks, a final-sale piece, a misconfigured listing)
 * and orders in every stage, paid in every way.
 */
export function demoStore(now: Date): EmulatedStore {
  const store = createStore();
  // SHP-1/2: $20 flat rate, free at $500, US only.
  setDeliveryProfile(store, {
    countries: ["US"],
    rates: [
      { name: "Standard (FedEx)", priceCents: 2_000 },
      { name: "Free shipping", priceCents: 0, minTotalCents: 50_000 },
    ],
  });
  const submariner = oneOfAKind(store, {
    title: "Rolex Submariner Date 126610LN",
    imageUrl: monogram("RS", "#0b3d2e"),
    kind: "Watch",
    priceCents: 1_395_000,
    rank: "A",
  });
  const speedmaster = oneOfAKind(store, {
    title: "Omega Speedmaster Professional",
    imageUrl: monogram("OS", "#1f2a44"),
    kind: "Watch",
    priceCents: 689_000,
    rank: "AB",
  });
  const birkin = oneOfAKind(store, {
    title: "Hermès Birkin 30 Togo Gold",
    imageUrl: monogram("HB", "#b5651d"),
    kind: "Bag",
    priceCents: 2_450_000,
    rank: "SA",
  });
  const speedy = oneOfAKind(store, {
    title: "Louis Vuitton Speedy 30 Monogram",
    imageUrl: monogram("LV", "#5c4033"),
    kind: "Bag",
    priceCents: 89_000,
    rank: "B",
  });
  const wallet = oneOfAKind(store, {
    title: "Chanel Classic Card Holder",
    imageUrl: monogram("CC", "#222222"),
    kind: "Accessory",
    priceCents: 42_000,
    rank: "AB",
  });
  const scarf = oneOfAKind(store, {
    title: "Hermès Silk Twill Scarf 90",
    imageUrl: monogram("HS", "#c2410c"),
    kind: "Accessory",
    priceCents: 32_000,
    compareAtPriceCents: 38_000,
    rank: "S",
  });
  const ring = oneOfAKind(store, {
    title: "Cartier Love Ring 18K Yellow Gold",
    imageUrl: monogram("CL", "#9a3412"),
    kind: "Jewelry",
    priceCents: 159_000,
    rank: "A",
    tags: ["18k-gold"],
  });
  const bracelet = oneOfAKind(store, {
    title: "Tiffany T Wire Bracelet",
    imageUrl: monogram("TT", "#0f766e"),
    kind: "Jewelry",
    priceCents: 48_000,
    rank: "B",
    tags: ["final-sale"],
  });
  oneOfAKind(store, {
    title: "Gucci Dionysus Mini",
    imageUrl: monogram("GD", "#7f1d1d"),
    kind: "Bag",
    priceCents: 118_000,
    rank: "AB",
    inventory: { tracked: false, policy: "CONTINUE", available: 3 },
  });
  const prada = oneOfAKind(store, {
    title: "Prada Re-Edition 2005",
    imageUrl: monogram("PR", "#111827"),
    kind: "Bag",
    priceCents: 76_000,
    rank: "A",
  });

  const loafers = oneOfAKind(store, {
    title: "Gucci Horsebit Loafers 38",
    imageUrl: monogram("GH", "#14532d"),
    kind: "Accessory",
    priceCents: 69_000,
    rank: "A",
  });

  const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya.chen@example.com" });
  const james = shopper(store, { firstName: "James", lastName: "Okafor", email: "james.okafor@example.com" });
  const sofia = shopper(store, { firstName: "Sofia", lastName: "Rossi", email: "sofia.rossi@example.com" });
  const guest = shopper(store, {
    firstName: "Alex",
    lastName: "Park",
    email: "alex.park@example.com",
    hasAccount: false,
  });

  orderAt(store, {
    customer: maya,
    items: [birkin],
    stage: "refunded",
    payment: "card",
    placedAt: ago(now, { days: 40 }),
    taxCents: 217_438,
  });
  orderAt(store, {
    customer: james,
    items: [speedy],
    stage: "return_approved",
    payment: "shop_pay",
    placedAt: ago(now, { days: 12 }),
    taxCents: 7_899,
  });
  orderAt(store, {
    customer: sofia,
    items: [ring],
    stage: "delivered",
    payment: "paypal",
    placedAt: ago(now, { days: 9 }),
    taxCents: 14_111,
  });
  orderAt(store, {
    customer: maya,
    items: [wallet, scarf],
    stage: "in_transit",
    payment: [{ kind: "card", amountCents: 50_000 }, { kind: "gift_card" }],
    placedAt: ago(now, { days: 3 }),
    taxCents: 6_568,
  });
  orderAt(store, {
    customer: guest,
    items: [bracelet],
    stage: "shipped",
    payment: "cash_on_delivery",
    placedAt: ago(now, { days: 2 }),
    shippingCents: 2_000,
  });
  orderAt(store, {
    customer: james,
    items: [speedmaster],
    stage: "paid",
    payment: "apple_pay",
    placedAt: ago(now, { hours: 20 }),
    taxCents: 61_149,
  });
  orderAt(store, {
    customer: sofia,
    items: [submariner],
    stage: "paid",
    payment: "installments",
    placedAt: ago(now, { minutes: 30 }),
    taxCents: 123_806,
  });
  // Paid 8 days ago and still not shipped: past TML-2's ship-by whatever the weekday or holiday.
  orderAt(store, {
    customer: maya,
    items: [prada],
    stage: "paid",
    payment: "card",
    placedAt: ago(now, { days: 8 }),
    taxCents: 6_745,
  });
  // The return portal's demo shopper: paid by card, delivered four days ago, nothing returned yet.
  orderAt(store, {
    customer: maya,
    items: [loafers],
    stage: "delivered",
    payment: "card",
    placedAt: ago(now, { days: 10 }),
    taxCents: 6_124,
  });
  seedDemoReturns(store, now);
  return store;
}

/** How long after the emulator starts delivering webhooks the returns are made: the app is listening by then. */
const RETURNS_AFTER_MS = 3_000;

/**
 * Returns in each of Shopify's states, for the Returns page: requested (an eligible change of
 * mind, a wrong-item report waiting for its 24-hour answer, a final-sale piece), approved with
 * a label (two), refunded and closed, declined and cancelled. Shopify tells an app about returns
 * through webhooks, and the store is seeded before the emulator delivers any: the returns are made
 * once its delivery listens to the store (a few seconds later), on orders placed long enough ago
 * (41+ days, delivered days ago) to leave the home page's ten latest orders as they are.
 */
function seedDemoReturns(store: EmulatedStore, now: Date): void {
  const customer = shopper(store, { firstName: "Nina", lastName: "Alvarez", email: "nina.alvarez@example.com" });
  let placedDaysAgo = 41;
  /** Placed 41+ days ago (older than the home page's ten latest, within the install backfill's 60 days), delivered `daysAgo`. */
  const delivered = (title: string, priceCents: number, daysAgo: number, tags: string[] = []) => {
    const item = oneOfAKind(store, { title, priceCents, kind: "Accessory", rank: "A", tags });
    const placed = placedDaysAgo++;
    return orderAt(store, {
      customer,
      items: [item],
      stage: "delivered",
      payment: "card",
      placedAt: ago(now, { days: placed }),
      shippedAfterHours: 24 * (placed - daysAgo - 2),
      deliveredAfterHours: 24 * (placed - daysAgo),
      taxCents: Math.round(priceCents * 0.08875),
      shippingCents: priceCents >= 50_000 ? 0 : 2_000,
    });
  };
  const orders = {
    changeOfMind: delivered("Celine Triomphe Belt", 42_000, 4),
    wrongItem: delivered("Van Cleef Alhambra Pendant", 380_000, 2),
    finalSale: delivered("Fendi Baguette (final sale)", 61_000, 3, ["final-sale"]),
    approved: delivered("Bottega Veneta Jodie", 260_000, 6),
    toInspect: delivered("Cartier Tank Must", 310_000, 8),
    refunded: delivered("Goyard Saint Louis PM", 180_000, 10),
    declined: delivered("Loewe Puzzle Small", 240_000, 9),
    cancelled: delivered("Dior Book Tote", 290_000, 7),
  };
  const lines = (order: Node, reason: string) =>
    ((order.fulfillments as Node[])[0]!.fulfillmentLineItems as Node[]).map((fli) => ({
      fulfillmentLineItemId: fli.id,
      quantity: fli.quantity,
      returnReason: reason,
    }));
  const labelled = (ret: Node, at: Date, tracking: string) => {
    approveReturn(store, ret, at);
    attachReturnLabel(
      store,
      ret.reverseFulfillmentOrders[0],
      { fileUrl: `https://labels.example/${tracking}.pdf`, trackingNumber: tracking },
      at,
    );
  };
  const attached = (listening: string | symbol) => {
    if (listening !== "event") return;
    store.off("newListener", attached);
    setTimeout(() => {
      requestReturn(store, orders.changeOfMind, lines(orders.changeOfMind, "UNWANTED"), ago(now, { days: 1 }));
      requestReturn(store, orders.wrongItem, lines(orders.wrongItem, "WRONG_ITEM"), ago(now, { hours: 3 }));
      requestReturn(store, orders.finalSale, lines(orders.finalSale, "UNWANTED"), ago(now, { hours: 26 }));
      labelled(
        requestReturn(store, orders.approved, lines(orders.approved, "UNWANTED"), ago(now, { days: 2 })),
        ago(now, { days: 1 }),
        "9400100000000000000001",
      );
      labelled(
        requestReturn(store, orders.toInspect, lines(orders.toInspect, "UNWANTED"), ago(now, { days: 5 })),
        ago(now, { days: 4 }),
        "9400100000000000000002",
      );
      const refunded = requestReturn(store, orders.refunded, lines(orders.refunded, "UNWANTED"), ago(now, { days: 8 }));
      labelled(refunded, ago(now, { days: 7 }), "9400100000000000000003");
      processReturn(
        store,
        refunded,
        (refunded.returnLineItems as Node[]).map((l) => ({ returnLineItemId: l.id, quantity: l.quantity })),
        180_000 + Math.round(180_000 * 0.08875),
        ago(now, { days: 2 }),
      );
      const declined = requestReturn(store, orders.declined, lines(orders.declined, "UNWANTED"), ago(now, { days: 6 }));
      declineReturn(store, declined, "OTHER", "Worn: the strap shows wear not in the listing.", ago(now, { days: 5 }));
      cancelReturn(
        store,
        requestReturn(store, orders.cancelled, lines(orders.cancelled, "UNWANTED"), ago(now, { days: 4 })).id,
      );
    }, RETURNS_AFTER_MS).unref();
  };
  store.on("newListener", attached);
}
