import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
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
