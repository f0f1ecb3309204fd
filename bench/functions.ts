/**
 * Functions on a 200-line cart: each bundled Function run in QuickJS (the engine
 * inside Javy) and run() in Node, milliseconds per run. Shopify allows a Function
 * 11 million instructions; this is a relative figure to watch, not that count.
 */
import { bundleFunction, runInQuickJS } from "../test/support/function-runner";
import { cartValidationsGenerateRun } from "../extensions/one-of-a-kind-validation/src/cart_validations_generate_run";
import { cartDeliveryOptionsDiscountsGenerateRun } from "../extensions/free-shipping-discount/src/cart_delivery_options_discounts_generate_run";

const LINES = 200;
const RUNS = process.argv.includes("--quick") ? 10 : 50;

const validationInput = {
  cart: {
    lines: Array.from({ length: LINES }, (_, i) => ({
      id: `gid://shopify/CartLine/${i}`,
      quantity: i % 50 === 0 ? 2 : 1,
      merchandise: {
        __typename: "ProductVariant",
        id: `gid://shopify/ProductVariant/${i % 190}`,
        product: { hasAnyTag: true },
      },
    })),
    deliveryGroups: [{ deliveryAddress: { countryCode: "CA" } }],
  },
  localization: { language: { isoCode: "EN" } },
  validation: { metafield: null },
};
const discountInput = {
  cart: {
    cost: { subtotalAmount: { currencyCode: "USD" } },
    lines: Array.from({ length: LINES }, () => ({
      cost: { subtotalAmount: { amount: "490.00", currencyCode: "USD" } },
    })),
    discountApplications: [],
    deliveryGroups: [{ id: "gid://shopify/CartDeliveryGroup/1", deliveryAddress: { countryCode: "US" } }],
  },
  localization: { language: { isoCode: "EN" } },
  discount: { discountClasses: ["SHIPPING"], metafield: null },
};

async function time(label: string, run: () => unknown | Promise<unknown>) {
  await run();
  const start = performance.now();
  for (let i = 0; i < RUNS; i++) await run();
  return { [label]: Number(((performance.now() - start) / RUNS).toFixed(3)) };
}

const validation = await bundleFunction("one-of-a-kind-validation");
const discount = await bundleFunction("free-shipping-discount");
const results = {
  lines: LINES,
  bundle_bytes: { "one-of-a-kind-validation": validation.length, "free-shipping-discount": discount.length },
  ms_per_run: {
    ...(await time("one-of-a-kind-validation (QuickJS, incl. context setup)", () =>
      runInQuickJS(validation, validationInput),
    )),
    ...(await time("one-of-a-kind-validation (Node run())", () => cartValidationsGenerateRun(validationInput))),
    ...(await time("free-shipping-discount (QuickJS, incl. context setup)", () =>
      runInQuickJS(discount, discountInput),
    )),
    ...(await time("free-shipping-discount (Node run())", () =>
      cartDeliveryOptionsDiscountsGenerateRun(discountInput),
    )),
  },
};
console.log(JSON.stringify({ benchmark: "functions on a 200-line cart", ...results }, null, 2));
