import type {
  CartDiscountAllocation,
  CartDiscountCode,
  CartLine,
  DeliveryGroup,
} from "@shopify/ui-extensions/checkout";
import { sum, type Money } from "../../../app/policy/money";
import type { CheckoutDiscountFacts } from "../../../app/policy/notices";
import { toMoney } from "./notices";

/**
 * What checkout tells the extension of discounts and shipping, as the policy reads it:
 * each line's `cost.totalAmount` is after its product discounts (listed in the line's
 * `discountAllocations`) and before order discounts, which are the cart's own
 * `discountAllocations`; a delivery option's `costAfterDiscounts` shows a shipping
 * discount. Shipping stays unknown until every group that ships has an option chosen.
 */
export function discountFacts(
  lines: readonly CartLine[],
  cartAllocations: readonly CartDiscountAllocation[],
  codes: readonly CartDiscountCode[],
  groups: readonly DeliveryGroup[],
): CheckoutDiscountFacts {
  const amounts = (allocations: readonly CartDiscountAllocation[]) =>
    allocations.map((allocation) => toMoney(allocation.discountedAmount));
  const productDiscounts = lines.flatMap((line) => amounts(line.discountAllocations));
  const orderDiscounts = amounts(cartAllocations);
  return {
    linePrices: lines.map((line) => toMoney(line.cost.totalAmount)),
    productDiscounts,
    orderDiscounts,
    discountCode:
      codes.length > 0 ||
      [...cartAllocations, ...lines.flatMap((l) => l.discountAllocations)].some((a) => a.type === "code"),
    shipping: chosenShipping(groups),
  };
}

function chosenShipping(groups: readonly DeliveryGroup[]): CheckoutDiscountFacts["shipping"] {
  const cost: Money[] = [];
  const afterDiscounts: Money[] = [];
  for (const group of groups) {
    if (!group.isDeliveryRequired) continue;
    const handle = group.selectedDeliveryOption?.handle;
    const option = group.deliveryOptions.find((candidate) => candidate.handle === handle);
    if (!option) return null;
    // A pickup location has no shipping to charge or discount.
    if (option.type === "pickup") continue;
    cost.push(toMoney(option.cost));
    afterDiscounts.push(toMoney(option.costAfterDiscounts));
  }
  const currency = cost[0]?.currency;
  return currency ? { cost: sum(cost, currency), afterDiscounts: sum(afterDiscounts, currency) } : null;
}
