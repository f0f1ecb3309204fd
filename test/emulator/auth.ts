import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

/** The session token (id_token) Shopify's admin gives an embedded app: an HS256 JWT signed with the app's secret. */
export function signSessionToken(options: {
  shop: string;
  apiKey: string;
  secret: string;
  userId?: number;
  now?: Date;
  ttlSeconds?: number;
}): string {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId ?? 1),
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now - 1,
    iat: now,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  };
  const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${unsigned}.${b64url(createHmac("sha256", options.secret).update(unsigned).digest())}`;
}

export function verifySessionToken(token: string, secret: string, now = new Date()): SessionTokenClaims | null {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return null;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  const seconds = now.getTime() / 1000;
  return claims.exp >= seconds - 10 && claims.nbf <= seconds + 10 ? claims : null;
}

/** Access tokens the emulator has issued, by token. */
export class AccessTokens {
  private readonly tokens = new Map<string, { scope: string; expiresAt: number | null }>();

  issue(scope: string, expiresInSeconds: number | null = null): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.tokens.set(token, { scope, expiresAt: expiresInSeconds ? Date.now() + expiresInSeconds * 1000 : null });
    return token;
  }

  /** A fixed token, for tests and the background gateway (an installed app's offline token). */
  grant(token: string, scope: string): void {
    this.tokens.set(token, { scope, expiresAt: null });
  }

  valid(token: string | null | undefined): boolean {
    const entry = token ? this.tokens.get(token) : undefined;
    return Boolean(entry && (entry.expiresAt === null || entry.expiresAt > Date.now()));
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
