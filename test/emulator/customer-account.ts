import { createHmac, randomUUID } from "node:crypto";

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The claims of a customer account UI extension's session token, as shopify.dev documents them. */
export interface CustomerAccountClaims {
  /** The shop: "store-name.myshopify.com" (no scheme, unlike the admin's tokens). */
  dest: string;
  /** The app's client id. */
  aud: string;
  /** The signed-in customer's gid; absent when nobody is signed in or the app may not read customers. */
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
}

/** Shopify's customer account session tokens live 5 minutes. */
export const CUSTOMER_TOKEN_TTL_SECONDS = 300;

/**
 * `shopify.sessionToken.get()` in a customer account extension: an HS256 JWT signed with the app's
 * secret. `claims` overrides any claim (a test's wrong `aud`, another `dest`, no `sub`: `{ sub: undefined }`).
 */
export function signCustomerAccountToken(options: {
  shop: string;
  apiKey: string;
  secret: string;
  customerId?: string;
  now?: Date;
  ttlSeconds?: number;
  claims?: Partial<CustomerAccountClaims>;
  header?: Record<string, unknown>;
}): string {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: Partial<CustomerAccountClaims> = {
    dest: options.shop,
    aud: options.apiKey,
    ...(options.customerId ? { sub: options.customerId } : {}),
    exp: now + (options.ttlSeconds ?? CUSTOMER_TOKEN_TTL_SECONDS),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    ...options.claims,
  };
  const header = options.header ?? { alg: "HS256", typ: "JWT" };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${unsigned}.${b64url(createHmac("sha256", options.secret).update(unsigned).digest())}`;
}
