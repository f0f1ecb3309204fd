import { fileURLToPath } from "node:url";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { parse } from "smol-toml";

const HERE = dirname(fileURLToPath(import.meta.url));

const ROOT = join(HERE, "../..");

interface AppToml {
  handle: string;
  access_scopes: { scopes: string };
  webhooks: {
    api_version: string;
    subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }>;
  };
}

/** The project's shopify.app.toml, as Shopify reads it on deploy. */
export function readAppToml(): AppToml {
  return parse(readFileSync(join(ROOT, "shopify.app.toml"), "utf8")) as unknown as AppToml;
}

/** The app-specific webhook subscriptions declared in shopify.app.toml, resolved against the app's URL. */
export function tomlSubscriptions(appUrl: string): Array<{ topic: string; uri: string }> {
  return readAppToml().webhooks.subscriptions.flatMap((s) =>
    [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => ({
      topic,
      uri: new URL(s.uri, appUrl).toString(),
    })),
  );
}

export function tomlScopes(): string[] {
  return readAppToml().access_scopes.scopes.split(",");
}

const API_TYPES: Record<string, "cart_checkout_validation" | "discount" | "delivery_customization"> = {
  "cart.validations.generate.run": "cart_checkout_validation",
  "cart.delivery-options.discounts.generate.run": "discount",
  "cart.lines.discounts.generate.run": "discount",
};

/** The app's Functions, from extensions/*\/shopify.extension.toml, as Shopify registers them on deploy. */
export function extensionFunctions(): Array<{
  id: string;
  handle: string;
  apiType: "cart_checkout_validation" | "discount" | "delivery_customization";
  title: string;
}> {
  const dir = join(ROOT, "extensions");
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "shopify.extension.toml")))
    .flatMap((name, index) => {
      const toml = parse(readFileSync(join(dir, name, "shopify.extension.toml"), "utf8")) as {
        extensions: Array<{ handle: string; type: string; targeting: Array<{ target: string }> }>;
      };
      return toml.extensions
        .filter((e) => e.type === "function")
        .map((e) => ({
          id: `0198${String(index).padStart(4, "0")}-function-${e.handle}`,
          handle: e.handle,
          apiType: API_TYPES[e.targeting[0]!.target]!,
          title: e.handle,
        }));
    });
}
