import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cartDeliveryOptionsDiscountsGenerateRun,
  type Input,
} from "../../extensions/free-shipping-discount/src/cart_delivery_options_discounts_generate_run";
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
