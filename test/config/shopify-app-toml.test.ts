import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { type GraphQLEnumType } from "graphql";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { introspection, loadSchema } from "../support/admin-schema";

const HERE = dirname(fileURLToPath(import.meta.url));

const ROOT = join(HERE, "../..");
const raw = readFileSync(join(ROOT, "shopify.app.toml"), "utf8");
const toml = parse(raw) as {
  access_scopes: { scopes: string };
  webhooks: {
    api_version: string;
    subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }>;
  };
  app_proxy: { url: string; prefix: string; subpath: string };
};
const scopes = toml.access_scopes.scopes.split(",");
const topics = toml.webhooks.subscriptions.flatMap((s) => s.topics ?? []);
const schema = loadSchema("admin_2026-10");
const topicEnum = schema.getType("WebhookSubscriptionTopic") as GraphQLEnumType;
const toEnum = (topic: string) => topic.toUpperCase().replace(/\//g, "_");

/** Every access scope the Admin API's own documentation names. */
const schemaScopes = new Set(JSON.stringify(introspection("admin_2026-10")).match(/\b(?:read|write)_[a-z_]+\b/g));
/** Scopes that configure the app rather than an API, so the API schema never names them. */
const CONFIGURATION_SCOPES: Record<string, () => boolean> = { write_app_proxy: () => Boolean(toml.app_proxy) };

describe("shopify.app.toml against the real Admin API 2026-10 schema", () => {
  it("uses webhook API version 2026-10", () => {
    expect(toml.webhooks.api_version).toBe("2026-10");
  });

  it("subscribes only to topics that exist in the schema", () => {
    expect(topics.length).toBeGreaterThan(15);
    const unknown = topics.filter((t) => !topicEnum.getValue(toEnum(t)));
    expect(unknown).toEqual([]);
  });

  it("subscribes to every topic the timeline, returns and inventory guard need", () => {
    const needed = [
      "orders/create",
      "orders/updated",
      "orders/paid",
      "orders/cancelled",
      "fulfillments/create",
      "fulfillments/update",
      "fulfillment_events/create",
      "refunds/create",
      "returns/request",
      "returns/approve",
      "returns/decline",
      "returns/close",
      "products/update",
      "inventory_levels/update",
      "app/uninstalled",
      "app/scopes_update",
    ];
    expect(needed.filter((t) => !topics.includes(t))).toEqual([]);
  });

  it("subscribes to the three compliance topics", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  it("sends every subscription to the one ingestion endpoint, each with a '# Handled by:' comment", () => {
    expect(new Set(toml.webhooks.subscriptions.map((s) => s.uri))).toEqual(new Set(["/webhooks"]));
    const blocks = raw.split("[[webhooks.subscriptions]]").slice(0, -1);
    expect(blocks).toHaveLength(toml.webhooks.subscriptions.length);
    for (const before of blocks) expect(before.trimEnd().split("\n").at(-1)).toMatch(/^\s*# Handled by: \S/);
  });

  it("asks only for scopes the Admin API knows (or that configure the app), with no duplicates", () => {
    expect(new Set(scopes).size).toBe(scopes.length);
    const unknown = scopes.filter((s) => !schemaScopes.has(s) && !CONFIGURATION_SCOPES[s]?.());
    expect(unknown).toEqual([]);
  });

  it("holds the scopes each subscribed topic's documentation requires", () => {
    for (const topic of topics) {
      const description = topicEnum.getValue(toEnum(topic))?.description ?? "";
      const required = description.match(/\b(?:read|write)_[a-z_]+\b/g) ?? [];
      // A write scope implies its read scope.
      const granted = (scope: string) => scopes.includes(scope) || scopes.includes(scope.replace(/^read_/, "write_"));
      const ok = /at least one of/.test(description) ? required.some(granted) : required.every(granted);
      expect(ok, `${topic} needs ${required.join(" / ")}`).toBe(true);
    }
  });

  it("asks for no scope outside orders, fulfillments, returns, products, inventory, discounts, draft orders (repair invoices), validations, shipping, customers, files and the app proxy", () => {
    const allowed =
      /^(read|write)_(orders|fulfillments|returns|products|inventory|discounts|draft_orders|validations|shipping|customers|files|app_proxy)$/;
    expect(scopes.filter((s) => !allowed.test(s))).toEqual([]);
  });

  it("serves the return portal through the app proxy at /apps/returns", () => {
    expect(toml.app_proxy).toMatchObject({ prefix: "apps", subpath: "returns", url: "/apps/returns" });
  });

  it(".env.example lists the same scopes", () => {
    const example = readFileSync(join(ROOT, ".env.example"), "utf8");
    expect(example.match(/^SCOPES=(.*)$/m)?.[1]).toBe(toml.access_scopes.scopes);
  });
});
