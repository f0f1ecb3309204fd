import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cartValidationsGenerateRun,
  type Input,
} from "../../extensions/one-of-a-kind-validation/src/cart_validations_generate_run";
import { loadSchema } from "../support/admin-schema";
import { bundleFunction, runInQuickJS } from "../support/function-runner";

const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), "../../extensions/one-of-a-kind-validation");
const fixtures = readdirSync(join(EXTENSION, "tests/fixtures")).map((name) => ({
  name: name.replace(/\.json$/, ""),
  ...(JSON.parse(readFileSync(join(EXTENSION, "tests/fixtures", name), "utf8")).payload as {
    export: string;
    target: string;
    input: Input;
    output: unknown;
  }),
}));

let bundle: string;
beforeAll(async () => {
  bundle = await bundleFunction("one-of-a-kind-validation");
});

describe("Function one-of-a-kind-validation (INV-1, SHP-3)", () => {
  it("asks only for what the rule reads, and the query validates against the Cart and Checkout Validation API 2026-10", () => {
    const query = readFileSync(join(EXTENSION, "src/cart_validations_generate_run.graphql"), "utf8");
    expect(
      validate(loadSchema("functions_cart_checkout_validation_2026-10"), parse(query)).map((e) => e.message),
    ).toEqual([]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "INV-1/SHP-3 fixture %s: run() in Node gives Shopify's expected output",
    (_name, fixture) => {
      expect(fixture.target).toBe("cart.validations.generate.run");
      expect(cartValidationsGenerateRun(fixture.input)).toEqual(fixture.output);
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "INV-1/SHP-3 fixture %s: the bundled function in QuickJS gives the same",
    async (_name, fixture) => {
      expect(await runInQuickJS(bundle, fixture.input)).toEqual(fixture.output);
    },
  );

  it("bundles small and without Node or Intl APIs", () => {
    expect(bundle.length).toBeLessThan(64 * 1024);
    expect(bundle).not.toMatch(/\bIntl\.|require\(|process\.env/);
  });
});
