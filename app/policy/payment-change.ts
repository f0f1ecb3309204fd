import type { Decision } from "./rules";

/**
 * CAN-4: a placed order's payment method cannot be changed. Inside the cancellation window
 * (CAN-1, nothing shipped: CAN-2) the shopper may cancel it and check out again with the same
 * items from a cart link. INV-3 makes that a risk worth saying: carts hold nothing, so the
 * cancelled order's one-of-a-kind items go back on sale at once.
 */

/** What the shopper is told before confirming; the same words on every surface. */
export const PAYMENT_CHANGE_SENTENCES = {
  explain:
    "A placed order's payment method cannot be changed. To pay another way, this order is cancelled (the refund goes to your original payment method) and you get a cart with the same items to check out again (CAN-4).",
  released:
    "Every item is one of a kind and a cart holds nothing: once this order is cancelled its items are released and someone else may buy them before you check out again (INV-3).",
  confirm: "Cancel this order and get a cart to pay another way",
} as const;

export interface PaymentChangeOffer extends Decision {
  /** The sentences shown beside the action (only when it is allowed). */
  explain: string | null;
  released: string | null;
}

/**
 * Whether the shopper may change the payment method now: exactly when the order may be cancelled
 * (CAN-1…3 decide, on the same facts), so the refusal is the cancellation's own sentence.
 */
export function paymentChangeOffer(cancellation: Decision): PaymentChangeOffer {
  const allowed = cancellation.allowed;
  return {
    allowed,
    rule: allowed ? "CAN-4" : cancellation.rule,
    code: allowed ? "CANCEL_AND_REORDER" : cancellation.code,
    message: allowed ? PAYMENT_CHANGE_SENTENCES.explain : cancellation.message,
    explain: allowed ? PAYMENT_CHANGE_SENTENCES.explain : null,
    released: allowed ? PAYMENT_CHANGE_SENTENCES.released : null,
  };
}

export interface CartItem {
  /** `gid://shopify/ProductVariant/<n>` or the number itself. */
  variantId: string;
  quantity: number;
}

const VARIANT = /^(?:gid:\/\/shopify\/ProductVariant\/)?([1-9]\d*)$/;

/**
 * Shopify's cart permalink, `<storefront>/cart/<variant>:<qty>,…` (numeric variant ids): it opens
 * the store's checkout with those items, creating a new checkout for each visit. Items without a
 * variant (a deleted product) or with no quantity left cannot be put back and are left out.
 */
export function cartPermalink(storefront: string, items: readonly CartItem[]): string | null {
  const origin = storefront.replace(/\/+$/, "");
  if (!/^https:\/\/[a-z0-9.-]+$/i.test(origin)) throw new Error(`not a storefront origin: ${storefront}`);
  const quantities = new Map<string, number>();
  for (const item of items) {
    const id = VARIANT.exec(item.variantId)?.[1];
    if (!id || !Number.isInteger(item.quantity) || item.quantity <= 0) continue;
    quantities.set(id, (quantities.get(id) ?? 0) + item.quantity);
  }
  if (!quantities.size) return null;
  return `${origin}/cart/${[...quantities].map(([id, qty]) => `${id}:${qty}`).join(",")}`;
}

/** What the shopper reads once the order is cancelled: where to pay again, and the INV-3 risk again. */
export function paymentChangeDoneMessage(orderName: string, cartUrl: string | null): string {
  const again = cartUrl
    ? "Open the cart link to check out again and choose another payment method."
    : "None of its items can be put in a cart again; browse the store to order again.";
  return `Order ${orderName} is cancelled and the refund goes to your original payment method. ${again} ${PAYMENT_CHANGE_SENTENCES.released}`;
}
