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

/** Shopify's lifetimes for expiring offline tokens: the access token an hour, the refresh token 90 days. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 86_400;
/** How long a used refresh token can still be retried while its replacement is unused. */
const REFRESH_RECOVERY_MS = 30 * 86_400_000;

/** What token exchange (with `expiring=1`) and a refresh answer. */
export interface OfflineGrant {
  access_token: string;
  scope: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
}

interface RefreshEntry {
  scope: string;
  expiresAt: number;
  /** The refresh token this one replaced, if any. */
  parent: string | null;
  /** The replacements issued for it. */
  replacements: Set<string>;
  firstUsedAt: number | null;
  retired: boolean;
}

/**
 * The emulator's clock for token lifetimes: the wall clock (or an injected one)
 * plus an offset a test can move, so expiry is reached without waiting an hour.
 */
export class EmulatorClock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * Access and refresh tokens the emulator has issued, with Shopify's semantics
 * for expiring offline tokens: an access token lives an hour; each refresh
 * answers a new access token and a new refresh token (90 days). The refresh
 * token used stays usable for a retry (a lost or unsaved answer) until one of
 * its replacements is used; then it and its other replacements are retired
 * (at most 30 days after its first use). An access token stays valid until its
 * own hour is over.
 */
export class AccessTokens {
  private readonly tokens = new Map<string, { scope: string; expiresAt: number | null }>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  /** Every refresh asked for, in order: "issued" or why it was refused. */
  readonly refreshLog: Array<"issued" | "invalid_grant"> = [];

  constructor(readonly clock: EmulatorClock = new EmulatorClock()) {}

  issue(scope: string, expiresInSeconds: number | null = null): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    const now = this.clock.now();
    this.tokens.set(token, { scope, expiresAt: expiresInSeconds ? now + expiresInSeconds * 1000 : null });
    return token;
  }

  /** An expiring offline token and its refresh token, as token exchange with `expiring=1` grants. */
  issueExpiring(scope: string, parent: string | null = null): OfflineGrant {
    const access = this.issue(scope, ACCESS_TOKEN_TTL_SECONDS);
    const refresh = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refresh, {
      scope,
      expiresAt: this.clock.now() + REFRESH_TOKEN_TTL_SECONDS * 1000,
      parent,
      replacements: new Set(),
      firstUsedAt: null,
      retired: false,
    });
    if (parent) this.refreshTokens.get(parent)?.replacements.add(refresh);
    return {
      access_token: access,
      scope,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refresh,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  /** `grant_type=refresh_token`: a new pair, or null when Shopify would answer `invalid_grant`. */
  refresh(refreshToken: string): OfflineGrant | null {
    const entry = this.refreshTokens.get(refreshToken);
    const now = this.clock.now();
    const usable =
      entry &&
      !entry.retired &&
      entry.expiresAt > now &&
      (entry.firstUsedAt === null || now - entry.firstUsedAt <= REFRESH_RECOVERY_MS);
    if (!usable) {
      this.refreshLog.push("invalid_grant");
      return null;
    }
    // Using a replacement retires the token it replaced and that token's other replacements.
    const parent = entry.parent ? this.refreshTokens.get(entry.parent) : undefined;
    if (parent) {
      parent.retired = true;
      for (const sibling of parent.replacements) {
        if (sibling !== refreshToken) this.refreshTokens.get(sibling)!.retired = true;
      }
    }
    entry.firstUsedAt ??= now;
    this.refreshLog.push("issued");
    return this.issueExpiring(entry.scope, refreshToken);
  }

  /** A fixed token, for tests and the background gateway (an installed app's offline token). */
  grant(token: string, scope: string): void {
    this.tokens.set(token, { scope, expiresAt: null });
  }

  valid(token: string | null | undefined): boolean {
    const entry = token ? this.tokens.get(token) : undefined;
    return Boolean(entry && (entry.expiresAt === null || entry.expiresAt > this.clock.now()));
  }

  revokeAll(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }
}
