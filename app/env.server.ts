import { BlockList, isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./db-url";

/** Every variable the server reads, validated once at boot. `.env.example` lists them. */
const text = (hint: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is missing: ${hint}` : "must be text") })
    .min(1, `is empty: ${hint}`);

const envSchema = z.object({
  /** Unset means production (fails closed): `vite dev`, the demo and vitest set development or test themselves. */
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  SHOPIFY_API_KEY: text("the app's client id from the Partner Dashboard"),
  SHOPIFY_API_SECRET: text("the app's client secret; it also verifies webhooks"),
  SHOPIFY_APP_URL: z.url({ error: "must be the app's public URL, such as https://policy-guard.example.com" }),
  SCOPES: text("the comma-separated access scopes of shopify.app.toml").transform((value) =>
    value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  ),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine(
      (url) => {
        try {
          providerOf(url);
          return true;
        } catch {
          return false;
        }
      },
      { message: "must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)" },
    ),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  /** Send background Admin API calls to this origin instead of https://{shop} (the store emulator). */
  ADMIN_API_ORIGIN: z.url({ error: "must be an origin such as http://127.0.0.1:3001" }).optional(),
  /** Load App Bridge from here instead of Shopify's CDN (the store emulator's, for the demo). */
  APP_BRIDGE_URL: z
    .url({ error: "must be the URL of an app-bridge.js, such as http://127.0.0.1:3001/cdn/app-bridge.js" })
    .optional(),
  /** inline (default): the web server also processes webhooks; off: leave it to `npm run worker`. */
  WEBHOOK_WORKER: z.enum(["inline", "off"]).default("inline"),
  /** RET-6 return labels through EasyPost; unset: no carrier labels (staff upload their own PDFs). */
  EASYPOST_API_KEY: z.string().optional(),
  /** Verifies EasyPost's tracking webhooks (X-Hmac-Signature); required with EASYPOST_API_KEY. */
  EASYPOST_WEBHOOK_SECRET: z.string().optional(),
  /** Send EasyPost calls here instead of https://api.easypost.com/v2/ (the carrier emulator). */
  EASYPOST_BASE_URL: z.url({ error: "must be a URL such as http://127.0.0.1:3002/v2/" }).optional(),
  /** Each EasyPost request's time limit in milliseconds (default 15000). */
  EASYPOST_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Which rate to buy: the carrier and its service (default USPS GroundAdvantage). */
  RETURN_LABEL_CARRIER: z.string().default("USPS"),
  RETURN_LABEL_SERVICE: z.string().default("GroundAdvantage"),
});

/** The demo's app key (see scripts/demo.ts); a production server refuses it. */
export const DEMO_API_KEY = "policy-guard-demo";

const thisMachine = new BlockList();
thisMachine.addSubnet("127.0.0.0", 8, "ipv4"); // loopback
thisMachine.addSubnet("0.0.0.0", 8, "ipv4"); // "this host": 0.0.0.0 reaches the machine itself
thisMachine.addAddress("::1", "ipv6");
thisMachine.addAddress("::", "ipv6");

/**
 * Whether a URL's hostname (as `new URL` normalises it) names this machine: localhost and
 * *.localhost, 127.0.0.0/8, 0.0.0.0/8, [::1], [::] and their IPv4-mapped forms.
 */
export function isThisMachine(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const ip = host.startsWith("[") ? host.slice(1, -1) : host;
  if (isIPv4(ip)) return thisMachine.check(ip, "ipv4");
  if (isIPv6(ip)) return thisMachine.check(ip, "ipv6");
  return false;
}

/**
 * A production server (NODE_ENV=production, or unset) refuses the demo's wiring: its app key,
 * the emulator's origins and a plain-http or local app URL.
 */
const productionSchema = envSchema.superRefine((env, ctx) => {
  if (env.NODE_ENV !== "production") return;
  if (env.SHOPIFY_API_KEY === DEMO_API_KEY) {
    ctx.addIssue({
      code: "custom",
      path: ["SHOPIFY_API_KEY"],
      message: "is the demo's key; a production server needs the app's real client id",
    });
  }
  if (env.ADMIN_API_ORIGIN) {
    ctx.addIssue({
      code: "custom",
      path: ["ADMIN_API_ORIGIN"],
      message: "points the Admin API at a store emulator; a production server talks to Shopify",
    });
  }
  if (env.APP_BRIDGE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["APP_BRIDGE_URL"],
      message: "replaces Shopify's App Bridge; a production app loads it from Shopify's CDN",
    });
  }
  if (env.EASYPOST_BASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["EASYPOST_BASE_URL"],
      message: "points EasyPost at a carrier emulator; a production server talks to EasyPost",
    });
  }
  const url = new URL(env.SHOPIFY_APP_URL);
  if (url.protocol !== "https:" || isThisMachine(url.hostname)) {
    ctx.addIssue({
      code: "custom",
      path: ["SHOPIFY_APP_URL"],
      message: "must be a public https URL in production (Shopify refuses others)",
    });
  }
});

/** A carrier key without the secret that verifies its webhooks would accept forged tracking. */
const labelsSchema = productionSchema.superRefine((env, ctx) => {
  if (env.EASYPOST_API_KEY && !env.EASYPOST_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["EASYPOST_WEBHOOK_SECRET"],
      message: "is missing: EasyPost's webhook secret (Dashboard → Webhooks), needed with EASYPOST_API_KEY",
    });
  }
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = labelsSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `- ${issue.path.join(".")} ${issue.message}`);
  throw new EnvError(
    `The server cannot start; fix these environment variables (see .env.example):\n${lines.join("\n")}`,
  );
}

let cached: Env | undefined;

/** The validated environment; the first call (at boot) throws naming every bad variable. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
