import type { PolicySettings } from "./settings";

/**
 * The part of the policy Shopify Functions enforce at checkout, as stored in the
 * app-owned metafield they read. Plain data: Functions bundle it without a validator.
 */
export interface CheckoutRules {
  inventory: PolicySettings["inventory"];
  shipping: PolicySettings["shipping"];
}

export function checkoutRules(settings: PolicySettings): CheckoutRules {
  return { inventory: settings.inventory, shipping: settings.shipping };
}

/** Where the Functions find their rules: an app-owned metafield on the validation / discount. */
export const CHECKOUT_RULES_METAFIELD = { namespace: "$app", key: "checkout-rules" } as const;
