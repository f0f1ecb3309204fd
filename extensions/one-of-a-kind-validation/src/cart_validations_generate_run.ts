import { cartQuantityViolations, type CartLineFacts } from "../../../app/policy/inventory";
import { destinationDecision } from "../../../app/policy/shipping";
import { readCheckoutRules } from "../../../app/policy/checkout-rules";
import en from "../locales/en.default.json";
import ja from "../locales/ja.json";

/** The input, as selected by cart_validations_generate_run.graphql. */
export interface Input {
  cart: {
    lines: Array<{
      id: string;
      quantity: number;
      merchandise: { __typename: string; id?: string; product?: { hasAnyTag: boolean } };
    }>;
    deliveryGroups: Array<{ deliveryAddress: { countryCode: string | null } | null }>;
  };
  localization: { language: { isoCode: string } };
  validation: { metafield: { jsonValue: unknown } | null };
}

export interface Output {
  operations: Array<{ validationAdd: { errors: Array<{ message: string; target: string }> } }>;
}

const MESSAGES: Record<string, typeof en.errors> = { EN: en.errors, JA: ja.errors };

/** INV-1 (one unit of a one-of-a-kind variant) and SHP-3 (ships only to the allowed countries). */
export function cartValidationsGenerateRun(input: Input): Output {
  // The rules the app synced; before the first sync, the default (ALLU) preset's.
  const { inventory, shipping } = readCheckoutRules(input.validation.metafield?.jsonValue);
  const text = MESSAGES[input.localization.language.isoCode.toUpperCase()] ?? en.errors;
  const errors: Array<{ message: string; target: string }> = [];

  const lines: Array<CartLineFacts & { index: number }> = [];
  input.cart.lines.forEach((line, index) => {
    if (line.merchandise.__typename !== "ProductVariant" || !line.merchandise.id) return;
    const oneOfAKind = inventory.oneOfAKind.scope === "all" || Boolean(line.merchandise.product?.hasAnyTag);
    lines.push({ index, lineId: line.id, variantId: line.merchandise.id, quantity: line.quantity, oneOfAKind });
  });
  for (const violation of cartQuantityViolations(lines, inventory)) {
    const index = lines.find((l) => l.lineId === violation.lineId)!.index;
    const tooMany =
      inventory.maxUnitsPerVariant === 1
        ? text.quantity
        : text.quantityAtMost.replace("{max}", String(inventory.maxUnitsPerVariant));
    const message = violation.decision.code === "DUPLICATE_ONE_OF_A_KIND_LINE" ? text.duplicate : tooMany;
    errors.push({ message, target: `$.cart.lines[${index}].quantity` });
  }

  input.cart.deliveryGroups.forEach((group, index) => {
    const country = group.deliveryAddress?.countryCode;
    // The address is judged once the shopper has entered one.
    if (!country || destinationDecision(country, shipping).allowed) return;
    const countries = (shipping.allowedCountries ?? []).join(", ");
    errors.push({
      message: text.destination.replace("{countries}", countries),
      target: `$.cart.deliveryGroups[${index}].deliveryAddress.countryCode`,
    });
  });

  return { operations: errors.length ? [{ validationAdd: { errors } }] : [] };
}
