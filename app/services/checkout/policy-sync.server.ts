import {
  CHECKOUT_ENFORCEMENT_QUERY,
  DISCOUNT_CREATE,
  DISCOUNT_UPDATE,
  SHOP_METAFIELDS_SET,
  VALIDATION_CREATE,
  VALIDATION_UPDATE,
} from "./policy-sync-documents";
import {
  CHECKOUT_RULES_METAFIELD,
  FREE_SHIPPING_COMBINES_WITH,
  checkoutRules,
  formatMoney,
  type PolicySettings,
} from "../../policy";
import type { AdminGateway } from "../shopify/admin-gateway.server";

export const VALIDATION_FUNCTION = "one-of-a-kind-validation";
export const DISCOUNT_FUNCTION = "free-shipping-discount";

/** What syncPolicy does, in order; a failure names its step so a report can say which one failed. */
export const POLICY_SYNC_STEPS = ["read_state", "validation", "discount", "shop_rules"] as const;
export type PolicySyncStep = (typeof POLICY_SYNC_STEPS)[number];

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export class PolicySyncError extends Error {
  override name = "PolicySyncError";
  constructor(
    message: string,
    readonly step?: PolicySyncStep,
    readonly userErrors: UserError[] = [],
  ) {
    super(message);
  }
}

interface Enforcement {
  shop: { id: string };
  shopifyFunctions: { nodes: Array<{ id: string; handle: string; apiType: string }> };
  validations: { nodes: Array<{ id: string; enabled: boolean; shopifyFunction: { handle: string } }> };
  automaticDiscountNodes: {
    nodes: Array<{ id: string; automaticDiscount: { __typename: string; appDiscountType?: { functionId: string } } }>;
  };
}

function check(what: string, errors: UserError[], step: PolicySyncStep): void {
  if (errors.length) {
    throw new PolicySyncError(
      `${what}: ${errors.map((e) => `${e.message}${e.field ? ` (${e.field.join(".")})` : ""}`).join("; ")}`,
      step,
      errors,
    );
  }
}

/** The metafields the Functions read: their rules, and the input variables of the validation's query. */
function functionMetafields(settings: PolicySettings) {
  const oneOfAKind = settings.inventory.oneOfAKind;
  return {
    rules: { ...CHECKOUT_RULES_METAFIELD, type: "json", value: JSON.stringify(checkoutRules(settings)) },
    input: {
      namespace: "$app",
      key: "function-input",
      type: "json",
      value: JSON.stringify({ oneOfAKindTags: oneOfAKind.scope === "tagged" ? [oneOfAKind.tag] : [] }),
    },
  };
}

/**
 * Make checkout enforce the current settings: the validation (INV-1, SHP-3) and
 * the automatic free-shipping discount (SHP-1, combining with no other discount)
 * exist, are on, and carry the rules as app-owned metafields; the shop carries them
 * too, for the checkout UI extension's notices. Idempotent: run it on install and on
 * every settings change.
 */
export async function syncPolicy(
  gateway: AdminGateway,
  settings: PolicySettings,
  now = new Date(),
  /** Told of each step as it completes, so a caller can report how far a failed sync got. */
  onStep?: (step: PolicySyncStep, outcome: "created" | "updated" | "read") => void,
) {
  const state = await gateway.request<Enforcement>(CHECKOUT_ENFORCEMENT_QUERY);
  onStep?.("read_state", "read");
  const metafields = functionMetafields(settings);

  const validation = state.validations.nodes.find((v) => v.shopifyFunction.handle === VALIDATION_FUNCTION);
  let validationId = validation?.id;
  if (validation) {
    const result = await gateway.request<{ validationUpdate: { userErrors: UserError[] } }>(VALIDATION_UPDATE, {
      id: validation.id,
      validation: { enable: true, metafields: [metafields.rules, metafields.input] },
    });
    check("Updating the checkout validation failed", result.validationUpdate.userErrors, "validation");
  } else {
    const result = await gateway.request<{
      validationCreate: { validation: { id: string } | null; userErrors: UserError[] };
    }>(VALIDATION_CREATE, {
      validation: {
        functionHandle: VALIDATION_FUNCTION,
        title: "One of a kind, domestic only (INV-1, SHP-3)",
        enable: true,
        // A Function failure must not take checkout down: the rule is also audited after the fact (INV-3).
        blockOnFailure: false,
        metafields: [metafields.rules, metafields.input],
      },
    });
    check("Creating the checkout validation failed", result.validationCreate.userErrors, "validation");
    validationId = result.validationCreate.validation!.id;
  }
  onStep?.("validation", validation ? "updated" : "created");

  const discountFunction = state.shopifyFunctions.nodes.find((f) => f.handle === DISCOUNT_FUNCTION);
  const discount = discountFunction
    ? state.automaticDiscountNodes.nodes.find(
        (d) => d.automaticDiscount.appDiscountType?.functionId === discountFunction.id,
      )
    : undefined;
  const threshold = settings.shipping.freeShippingThreshold;
  const discountInput = {
    title: threshold ? `Free shipping at ${formatMoney(threshold)} (SHP-1)` : "Free shipping (SHP-1)",
    discountClasses: ["SHIPPING"],
    // Sent on every sync, so a combination turned on in Shopify's admin is turned off again (SHP-1).
    combinesWith: FREE_SHIPPING_COMBINES_WITH,
    metafields: [metafields.rules],
  };
  let discountId = discount?.id;
  if (discount) {
    const result = await gateway.request<{ discountAutomaticAppUpdate: { userErrors: UserError[] } }>(DISCOUNT_UPDATE, {
      id: discount.id,
      discount: discountInput,
    });
    check("Updating the free-shipping discount failed", result.discountAutomaticAppUpdate.userErrors, "discount");
  } else {
    const result = await gateway.request<{
      discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } | null; userErrors: UserError[] };
    }>(DISCOUNT_CREATE, {
      discount: { ...discountInput, functionHandle: DISCOUNT_FUNCTION, startsAt: now.toISOString() },
    });
    check("Creating the free-shipping discount failed", result.discountAutomaticAppCreate.userErrors, "discount");
    discountId = result.discountAutomaticAppCreate.automaticAppDiscount!.discountId;
  }
  onStep?.("discount", discount ? "updated" : "created");
  const shopRules = await gateway.request<{ metafieldsSet: { userErrors: UserError[] } }>(SHOP_METAFIELDS_SET, {
    metafields: [{ ...metafields.rules, ownerId: state.shop.id }],
  });
  check("Saving the checkout rules on the shop failed", shopRules.metafieldsSet.userErrors, "shop_rules");
  onStep?.("shop_rules", "updated");
  return {
    validationId: validationId!,
    discountId: discountId!,
    created: { validation: !validation, discount: !discount },
  };
}
