import {
  cartPermalink,
  PAYMENT_CHANGE_SENTENCES,
  paymentChangeDoneMessage,
  paymentChangeOffer,
} from "../../policy/payment-change";
import { cancelOrder } from "./cancel-order.server";
import { STOREFRONT_URL_QUERY } from "./payment-change-documents";
import type { PaymentChangeOption, PaymentMethodChanged } from "./payment-change-types";
import { loadCustomerOrder, loadReturnFacts, portalDb, portalGateway, type PortalDeps } from "./return-facts.server";
import { cancellationOption } from "./return-options.server";

/** Whether "Change payment method" is offered for this customer's order now, with the words to show (CAN-4). */
export async function paymentChangeOption(
  shop: string,
  customerId: string,
  orderId: string,
  now: Date,
  deps: PortalDeps = {},
): Promise<PaymentChangeOption> {
  const facts = await loadReturnFacts(shop, customerId, orderId, deps);
  // The cancellation's own verdict on the same facts (CAN-1…3): the two never disagree.
  return { orderId, orderName: facts.order.name, offer: paymentChangeOffer(cancellationOption(facts, now)) };
}

/**
 * The online store's URL (its primary domain). Asked after the order is cancelled, so a failure
 * here must not turn a done cancellation into an error: the myshopify domain serves the cart too.
 */
async function storefrontOrigin(shop: string, deps: PortalDeps): Promise<string> {
  try {
    const gateway = await portalGateway(shop, deps);
    const { shop: answer } = await gateway.request<{ shop: { url: string | null } }>(STOREFRONT_URL_QUERY);
    if (answer.url?.startsWith("https://")) return answer.url;
  } catch (error) {
    console.warn(`storefront URL of ${shop} not known (${(error as Error).message}); using its myshopify domain`);
  }
  return `https://${shop}`;
}

/**
 * CAN-4: cancel the order exactly as a cancellation does (same window, same refusal with how to
 * reach the store, `orderCancel` with refund and restock, once however often it is submitted),
 * then hand back a cart permalink with the same variants and quantities to pay another way.
 */
export async function changePaymentMethod(
  shop: string,
  customerId: string,
  orderId: string,
  now: Date,
  deps: PortalDeps = {},
): Promise<PaymentMethodChanged> {
  const cancelled = await cancelOrder(shop, customerId, orderId, now, deps);
  const order = await loadCustomerOrder(portalDb(deps), shop, customerId, orderId);
  const items = order.lines.flatMap((line) =>
    line.variantId ? [{ variantId: line.variantId, quantity: line.quantity }] : [],
  );
  const cartUrl = cartPermalink(await storefrontOrigin(shop, deps), items);
  return {
    ...cancelled,
    rule: "CAN-4",
    message: paymentChangeDoneMessage(order.name, cartUrl),
    cartUrl,
    released: PAYMENT_CHANGE_SENTENCES.released,
  };
}

export type { PaymentChangeOption, PaymentMethodChanged };
