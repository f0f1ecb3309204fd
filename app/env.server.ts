import { z } from "zod";
import { DEFAULT_DATABASE_URL, providerOf } from "./db-url";

/** Every variable the server reads, validated once at boot. `.env.example` lists them. */
const text = (hint: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is missing: ${hint}` : "must be text") })
    .min(1, `is empty: ${hint}`);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
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
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(present);
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
