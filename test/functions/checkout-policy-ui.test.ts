import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { CHECKOUT_RULES_METAFIELD } from "../../app/policy/checkout-rules";
import { uiExtensionSizes } from "../support/ui-extension-bundle";

const DIR = join(import.meta.dirname, "../../extensions/checkout-policy-ui");
const TARGET_TYPES = join(
  import.meta.dirname,
  "../../node_modules/@shopify/ui-extensions/build/ts/surfaces/checkout/targets",
);

interface Toml {
  api_version: string;
  extensions: Array<{
    handle: string;
    type: string;
    capabilities: { api_access: boolean; network_access: boolean };
    targeting: Array<{ target: string; module: string }>;
    metafields: Array<{ namespace: string; key: string }>;
  }>;
}

describe("checkout-policy-ui as `shopify app deploy` reads it", () => {
  const toml = parse(readFileSync(join(DIR, "shopify.extension.toml"), "utf8")) as unknown as Toml;
  const extension = toml.extensions[0]!;

  it("is a 2026-07 UI extension whose targets exist in that API and whose modules exist", () => {
    expect(toml.api_version).toBe("2026-07");
    expect(extension).toMatchObject({ handle: "checkout-policy-ui", type: "ui_extension" });
    for (const { target, module } of extension.targeting) {
      expect(existsSync(join(TARGET_TYPES, `${target}.d.ts`)), target).toBe(true);
      expect(existsSync(join(DIR, module)), module).toBe(true);
    }
  });

  it("declares the metafields it reads: the synced rules and each product's condition rank; no network", () => {
    expect(extension.metafields).toEqual([
      { namespace: CHECKOUT_RULES_METAFIELD.namespace, key: CHECKOUT_RULES_METAFIELD.key },
      { namespace: "custom", key: "condition_rank" },
    ]);
    expect(extension.capabilities).toEqual({ api_access: false, network_access: false });
  });

  it("builds every target within Shopify's 64 KB limit, without the app's validator or date library", async () => {
    const { total, targets } = await uiExtensionSizes("checkout-policy-ui");
    expect(targets.map((t) => t.name)).toEqual(extension.targeting.map((t) => t.target));
    expect(total.bytes).toBeLessThan(64 * 1024);
    // zod or luxon pulled in through app/policy would each add well over 30 KB.
    expect(total.bytes).toBeLessThan(30 * 1024);
  });

  it("keeps every target within the 16 KB gzip budget that bench/ui-extensions.ts reports", async () => {
    const { total, targets } = await uiExtensionSizes("checkout-policy-ui");
    for (const target of [...targets, total]) expect(target.gzipBytes, target.name).toBeLessThanOrEqual(16 * 1024);
  });
});
