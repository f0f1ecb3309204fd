import { vi } from "vitest";

/** The environment the app's server modules validate at import, pointed at a test database. */
export function stubAppEnv(databaseUrl: string, overrides: Record<string, string> = {}): void {
  const values: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "test-key",
    SHOPIFY_API_SECRET: "test-secret",
    SHOPIFY_APP_URL: "https://policy-guard.example.com",
    SCOPES: "read_orders",
    WEBHOOK_WORKER: "off",
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}
