import { createStore, oneOfAKind, orderAt, shopper } from "../emulator/builders";
import type { EmulatedStore, Node } from "../emulator/store";

/** The moment every portal test runs at (Date is faked to it): a Wednesday, 10:00 in New York. */
export const PORTAL_NOW = new Date("2026-12-02T15:00:00Z");

const ago = (hours: number) => new Date(PORTAL_NOW.getTime() - hours * 3_600_000);

export interface PortalStore {
  store: EmulatedStore;
  /** Maya: a delivered card order (returnable) and one placed half an hour ago (cancellable). */
  maya: Node;
  mayaDelivered: Node;
  mayaJustPlaced: Node;
  /** James: a delivered card order of his own. */
  james: Node;
  jamesDelivered: Node;
}

export function portalStore(): PortalStore {
  const store = createStore();
  const item = (title: string, priceCents: number) =>
    oneOfAKind(store, { title, kind: "Accessory", priceCents, rank: "A", imageUrl: "https://img.example/x.png" });
  const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya.chen@example.com" });
  const james = shopper(store, { firstName: "James", lastName: "Okafor", email: "james.okafor@example.com" });
  const mayaDelivered = orderAt(store, {
    customer: maya,
    items: [item("Chanel Classic Card Holder", 42_000)],
    stage: "delivered",
    payment: "card",
    placedAt: ago(8 * 24),
    shippingCents: 2_000,
    taxCents: 3_360,
  });
  const mayaJustPlaced = orderAt(store, {
    customer: maya,
    items: [item("Hermès Silk Twill Scarf 90", 32_000)],
    stage: "paid",
    payment: "card",
    placedAt: ago(0.5),
    shippingCents: 2_000,
    taxCents: 2_560,
  });
  const jamesDelivered = orderAt(store, {
    customer: james,
    items: [item("Prada Re-Edition 2005", 76_000)],
    stage: "delivered",
    payment: "card",
    placedAt: ago(9 * 24),
    taxCents: 6_080,
  });
  return { store, maya, mayaDelivered, mayaJustPlaced, james, jamesDelivered };
}
