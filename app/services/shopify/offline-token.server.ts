import type { PrismaClient } from "@prisma/client";

/** Refresh this long before the access token expires (Shopify: "a few minutes before"). */
export const REFRESH_BEFORE_EXPIRY_MS = 10 * 60_000;

/** An error about the shop's credentials. Its message names the shop and what to do, never a token or secret. */
export class OfflineTokenError extends Error {
  override name = "OfflineTokenError";
  constructor(
    message: string,
    /** True when trying again later may succeed (the token endpoint failed or did not answer). */
    readonly transient = false,
  ) {
    super(message);
  }
}

/** Where the access token sent with each Admin API request comes from. */
export interface AccessTokenSource {
  /** The token to send now; an expiring token is refreshed first when it is about to expire. */
  current(signal?: AbortSignal): Promise<string>;
  /** The Admin API refused `rejected` (401): a fresh token, or an OfflineTokenError when none can be had. */
  renew(rejected: string, signal?: AbortSignal): Promise<string>;
}

/** A token that cannot be refreshed (a non-expiring offline token, or one handed over by a test). */
export function fixedToken(token: string): AccessTokenSource {
  return {
    current: async () => token,
    renew: async () => {
      throw new OfflineTokenError("the Admin API refused the access token (HTTP 401) and it cannot be refreshed");
    },
  };
}

interface StoredCredentials {
  id: string;
  accessToken: string;
  expires: Date | null;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
}

export interface OfflineTokenOptions {
  db: PrismaClient;
  /** The shop's admin origin: `https://{shop}`, or the configured ADMIN_API_ORIGIN (the store emulator). */
  origin: string;
  apiKey: string;
  apiSecret: string;
  /** Each call to the token endpoint is abandoned after this long. */
  timeoutMs: number;
  fetchImpl?: typeof fetch;
  /** The time token expiry is judged by (the wall clock unless a test sets it). */
  now?: () => number;
}

const SELECT = { id: true, accessToken: true, expires: true, refreshToken: true, refreshTokenExpires: true } as const;

/**
 * A shop's offline token as stored in the Session table by the Shopify library,
 * kept valid for background work: refreshed with the refresh token shortly
 * before it expires and whenever the Admin API refuses it.
 *
 * Several processes may refresh the same shop's token at once. A refresh is
 * stored only if the row still holds the credentials it started from (one
 * conditional UPDATE); the loser discards its pair and uses the stored one.
 * Shopify keeps a used refresh token valid until its replacement is used, so
 * the stored pair always works.
 */
export class OfflineToken implements AccessTokenSource {
  private refreshing: Promise<string> | null = null;

  private constructor(
    readonly shop: string,
    private stored: StoredCredentials,
    private readonly options: OfflineTokenOptions,
  ) {}

  /** The shop's offline session, or an OfflineTokenError when the app is not installed there. */
  static async load(shop: string, options: OfflineTokenOptions): Promise<OfflineToken> {
    const stored = await OfflineToken.read(options.db, shop);
    if (!stored?.accessToken)
      throw new OfflineTokenError(`No offline access token for ${shop}: the app is not installed there`);
    return new OfflineToken(shop, stored, options);
  }

  private static read(db: PrismaClient, shop: string): Promise<StoredCredentials | null> {
    return db.session.findFirst({ where: { shop, isOnline: false }, select: SELECT });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private expiresSoon(credentials: StoredCredentials): boolean {
    return credentials.expires !== null && credentials.expires.getTime() - this.now() < REFRESH_BEFORE_EXPIRY_MS;
  }

  async current(signal?: AbortSignal): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (this.stored.refreshToken && this.expiresSoon(this.stored)) return this.renew(this.stored.accessToken, signal);
    return this.stored.accessToken;
  }

  async renew(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.refreshing) return this.refreshing;
    if (rejected !== this.stored.accessToken) return this.stored.accessToken; // already renewed meanwhile
    this.refreshing = this.refresh(signal).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(signal?: AbortSignal): Promise<string> {
    const before = this.stored;
    // Another process may have refreshed since this gateway read the session.
    const latest = await OfflineToken.read(this.options.db, this.shop);
    if (!latest) throw new OfflineTokenError(`No offline access token for ${this.shop}: the app was uninstalled there`);
    this.stored = latest;
    if (latest.accessToken !== before.accessToken && !this.expiresSoon(latest)) return latest.accessToken;
    if (!latest.refreshToken) {
      throw new OfflineTokenError(
        `The offline access token for ${this.shop} was refused and has no refresh token: the merchant must open the app to authorize it again`,
      );
    }
    const grant = await this.requestRefresh(latest.refreshToken, signal);
    if (!grant) {
      // Refused: perhaps another process used this refresh token's replacement already.
      const again = await OfflineToken.read(this.options.db, this.shop);
      if (again && again.refreshToken !== latest.refreshToken) {
        this.stored = again;
        return again.accessToken;
      }
      throw new OfflineTokenError(
        `Shopify refused the refresh token for ${this.shop} (invalid_grant): the merchant must open the app to authorize it again`,
      );
    }
    const now = this.now();
    const next: StoredCredentials = {
      id: latest.id,
      accessToken: grant.access_token,
      expires: grant.expires_in ? new Date(now + grant.expires_in * 1000) : null,
      refreshToken: grant.refresh_token ?? null,
      refreshTokenExpires: grant.refresh_token_expires_in
        ? new Date(now + grant.refresh_token_expires_in * 1000)
        : null,
    };
    const { count } = await this.options.db.session.updateMany({
      where: { id: latest.id, accessToken: latest.accessToken, refreshToken: latest.refreshToken },
      data: {
        accessToken: next.accessToken,
        expires: next.expires,
        refreshToken: next.refreshToken,
        refreshTokenExpires: next.refreshTokenExpires,
        ...(grant.scope ? { scope: grant.scope } : {}),
      },
    });
    if (count === 1) {
      this.stored = next;
      return next.accessToken;
    }
    // Another process stored its refresh first: theirs is the pair to keep.
    const winner = await OfflineToken.read(this.options.db, this.shop);
    if (!winner) throw new OfflineTokenError(`No offline access token for ${this.shop}: the app was uninstalled there`);
    this.stored = winner;
    return winner.accessToken;
  }

  /** POST /admin/oauth/access_token with grant_type=refresh_token; null when Shopify refuses the refresh token. */
  private async requestRefresh(
    refreshToken: string,
    signal?: AbortSignal,
  ): Promise<{
    access_token: string;
    expires_in?: number;
    refresh_token?: string;
    refresh_token_expires_in?: number;
    scope?: string;
  } | null> {
    const { origin, apiKey, apiSecret, timeoutMs } = this.options;
    const fetchImpl = this.options.fetchImpl ?? fetch;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(`${origin}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          client_id: apiKey,
          client_secret: apiSecret,
          grant_type: "refresh_token",
          refresh_token: refreshToken,
        }),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      if (response.status >= 400 && response.status < 500) {
        const body = (await response.json().catch(() => ({}))) as { error?: unknown };
        if (body.error === "invalid_grant") return null;
        throw new OfflineTokenError(
          `Shopify refused to refresh the offline token for ${this.shop} (HTTP ${response.status}${typeof body.error === "string" ? `, ${body.error}` : ""})`,
        );
      }
      if (!response.ok) {
        throw new OfflineTokenError(
          `The token endpoint failed for ${this.shop} (HTTP ${response.status}); the refresh will be tried again`,
          true,
        );
      }
      return await response.json();
    } catch (error) {
      if (error instanceof OfflineTokenError) throw error;
      const late = timeout.aborted ? ` did not answer within ${timeoutMs} ms` : ` could not be reached`;
      throw new OfflineTokenError(`The token endpoint for ${this.shop}${late}; the refresh will be tried again`, true);
    }
  }
}
