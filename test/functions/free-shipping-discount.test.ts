import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cartDeliveryOptionsDiscountsGenerateRun,
  type Input,
} from "../../extensions/free-shipping-discount/src/cart_delivery_options_discounts_generate_run";
import { FREE_SHIPPING_COMBINES_WITH } from "../../app/policy/shipping";
import { loadSchema } from "../support/admin-schema";
import { bundleFunction, runInQuickJS } from "../support/function-runner";

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "../../extensions/free-shipping-discount");
const fixtures = readdirSync(join(EXTENSION, "tests/fixtures")).map((name) => ({
  name: name.replace(/\.json$/, ""),
  ...(JSON.parse(readFileSync(join(EXTENSION, "tests/fixtures", name), "utf8")).payload as {
    target: string;
    input: Input;
    output: unknown;
  }),
}));

let bundle: string;
beforeAll(async () => {
  bundle = await bundleFunction("free-shipping-discount");
});

describe("Function free-shipping-discount (SHP-1)", () => {
  it("asks only for what the rule reads, and the query validates against the Discount Function API 2026-10", () => {
    const query = readFileSync(join(EXTENSION, "src/cart_delivery_options_discounts_generate_run.graphql"), "utf8");
    expect(validate(loadSchema("functions_discount_2026-10"), parse(query)).map((e) => e.message)).toEqual([]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "SHP-1 fixture %s: run() in Node gives Shopify's expected output",
    (_name, fixture) => {
      expect(fixture.target).toBe("cart.delivery-options.discounts.generate.run");
      expect(cartDeliveryOptionsDiscountsGenerateRun(fixture.input)).toEqual(fixture.output);
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "SHP-1 fixture %s: the bundled function in QuickJS gives the same",
    async (_name, fixture) => {
      expect(await runInQuickJS(bundle, fixture.input)).toEqual(fixture.output);
    },
  );
});

describe("SHP-1 with other discounts: after discounts, as far as Shopify lets the Function see", () => {
  const fixture = (name: string) => fixtures.find((f) => f.name === name)!;
  const ships = (name: string) => cartDeliveryOptionsDiscountsGenerateRun(fixture(name).input).operations.length > 0;

  it("takes a line discount the input lists off the subtotal: $520 less $20.00 ships free, less $20.01 does not", () => {
    expect(ships("shp-1-line-discount-to-500")).toBe(true);
    expect(ships("shp-1-line-discount-to-499-99")).toBe(false);
  });

  it("takes a listed order discount off too: $600 less a $150 order code is $450, no free shipping", () => {
    expect(ships("shp-1-order-discount-600-less-150")).toBe(false);
    expect(ships("shp-1-two-discounts-to-500")).toBe(true);
  });

  it("does not count a shipping discount against the merchandise subtotal", () => {
    expect(ships("shp-1-shipping-discount-not-merchandise")).toBe(true);
  });

  it("offers free shipping on $600 when the $150 code is not shown, so it must never combine with that code", () => {
    // Discount Functions run side by side: the input usually lists no other discount.
    // Shopify then keeps the better of the code and free shipping, never both.
    expect(fixture("shp-1-order-code-600-not-shown").input.cart.discountApplications).toEqual([]);
    expect(ships("shp-1-order-code-600-not-shown")).toBe(true);
    expect(FREE_SHIPPING_COMBINES_WITH).toEqual({
      orderDiscounts: false,
      productDiscounts: false,
      shippingDiscounts: false,
    });
  });
});
