import { PRESETS } from "./presets";
import type { PolicySettings } from "./settings";

/**
 * The part of the policy checkout enforces and explains, as stored in the app-owned
 * metafield the Functions and the checkout UI extension read. Plain data: extensions
 * bundle it without a validator.
 */
export interface CheckoutRules {
  inventory: PolicySettings["inventory"];
  shipping: PolicySettings["shipping"];
  returns: Pick<PolicySettings["returns"], "paymentMethods" | "exchanges">;
}

export function checkoutRules(settings: PolicySettings): CheckoutRules {
  const { paymentMethods, exchanges } = settings.returns;
  return { inventory: settings.inventory, shipping: settings.shipping, returns: { paymentMethods, exchanges } };
}

/** What checkout enforces before the app's first sync: the default (ALLU) preset. */
export const DEFAULT_CHECKOUT_RULES: CheckoutRules = checkoutRules(PRESETS.allu);

/** The synced rules from a metafield's JSON value, each part falling back to the default when absent. */
export function readCheckoutRules(value: unknown): CheckoutRules {
  const synced = (value ?? {}) as Partial<CheckoutRules>;
  return {
    inventory: synced.inventory ?? DEFAULT_CHECKOUT_RULES.inventory,
    shipping: synced.shipping ?? DEFAULT_CHECKOUT_RULES.shipping,
    returns: synced.returns ?? DEFAULT_CHECKOUT_RULES.returns,
  };
}

/**
 * Where checkout finds the rules: an app-owned metafield on the validation and the
 * discount (read by the Functions) and on the shop (read by the checkout UI extension).
 */
export const CHECKOUT_RULES_METAFIELD = { namespace: "$app", key: "checkout-rules" } as const;
