import type { PrismaClient } from "@prisma/client";
import { ClientError, GraphQLClient } from "graphql-request";
import { ADMIN_API_VERSION } from "../api-version";
import prisma from "../db.server";
import { env } from "../env.server";
import { fixedToken, OfflineToken, OfflineTokenError, type AccessTokenSource } from "./offline-token.server";

export class AdminGatewayError extends Error {
  override name = "AdminGatewayError";
}

interface ThrottleStatus {
  maximumAvailable?: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Share of a shop's query-cost bucket background work leaves for the merchant's own pages. */
export const INTERACTIVE_RESERVE = 0.3;

/** When each shop's background calls may go on: paused while its bucket is below the reserve. */
const resumeAt = new Map<string, number>();

/** How long background work should wait so the bucket is back at the reserve (0: go on). */
export function reserveWaitMs(throttle: ThrottleStatus | undefined): number {
  if (!throttle?.maximumAvailable || throttle.restoreRate <= 0) return 0;
  const missing = throttle.maximumAvailable * INTERACTIVE_RESERVE - throttle.currentlyAvailable;
  return missing > 0 ? Math.ceil((missing / throttle.restoreRate) * 1000) : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait before retrying: enough for the bucket to refill the query's cost, else exponential. */
export function backoffMs(attempt: number, cost?: { requested: number; throttle?: ThrottleStatus }): number {
  if (cost?.throttle && cost.throttle.restoreRate > 0) {
    const missing = Math.max(0, cost.requested - cost.throttle.currentlyAvailable);
    return Math.ceil((missing / cost.throttle.restoreRate) * 1000) + 50;
  }
  return Math.min(30_000, 250 * 2 ** attempt);
}

export interface GatewayOptions {
  /** The shop's Admin API origin; `https://{shop}` unless configured (the store emulator in tests and the demo). */
  origin?: string;
  maxAttempts?: number;
  /** Requests in flight at once; more wait their turn (a batch of webhooks prepares concurrently). */
  maxConcurrent?: number;
  fetchImpl?: typeof fetch;
}

/**
 * The one way background work (webhook processing, reconciliation) calls the
 * Admin API: the shop's offline token (refreshed before it expires and when
 * refused), typed documents, and backoff when
 * Shopify throttles or fails transiently. It never spends the last
 * INTERACTIVE_RESERVE of the shop's bucket, so the merchant's pages load while
 * an install backfill or an audit runs.
 */
export class AdminGateway {
  private readonly client: GraphQLClient;
  private readonly tokens: AccessTokenSource;
  private readonly maxAttempts: number;
  private readonly maxConcurrent: number;
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    readonly shop: string,
    accessToken: string | AccessTokenSource,
    options: GatewayOptions = {},
  ) {
    const origin = options.origin ?? `https://${shop}`;
    this.tokens = typeof accessToken === "string" ? fixedToken(accessToken) : accessToken;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.client = new GraphQLClient(`${origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      fetch: options.fetchImpl,
    });
  }

  async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    if (this.inFlight < this.maxConcurrent) this.inFlight++;
    else await new Promise<void>((resolve) => this.queue.push(resolve)); // a finishing request hands over its slot
    try {
      return await this.attempt<T>(document, variables);
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async attempt<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const pause = (resumeAt.get(this.shop) ?? 0) - Date.now();
      if (pause > 0) await sleep(pause);
      let token: string | null = null;
      try {
        token = await this.tokens.current();
        const { data, extensions } = await this.client.rawRequest<T>({
          query: document,
          variables,
          requestHeaders: { "X-Shopify-Access-Token": token },
        });
        const wait = reserveWaitMs(
          (extensions as { cost?: { throttleStatus?: ThrottleStatus } })?.cost?.throttleStatus,
        );
        if (wait > 0) resumeAt.set(this.shop, Date.now() + wait);
        return data;
      } catch (failure) {
        let error = failure;
        if (token && !renewed && error instanceof ClientError && error.response.status === 401) {
          // Expired or refused: refresh the offline token (or take the one another process stored) and go again.
          renewed = true;
          try {
            await this.tokens.renew(token);
            continue;
          } catch (renewal) {
            error = renewal; // the token endpoint failed: retried like any other failure, or given up on
          }
        }
        if (error instanceof OfflineTokenError && !error.transient) {
          throw new AdminGatewayError(`Admin API request failed for ${this.shop}: ${error.message}`);
        }
        const retry = this.retryDelay(error, attempt);
        if (retry === null || attempt + 1 >= this.maxAttempts) {
          throw new AdminGatewayError(
            `Admin API request failed for ${this.shop}: ${(error as Error).message.split("\n")[0]}`,
          );
        }
        await sleep(retry);
      }
    }
  }

  private retryDelay(error: unknown, attempt: number): number | null {
    if (!(error instanceof ClientError)) return backoffMs(attempt); // network failure, token endpoint down
    const { status, errors, extensions } = error.response as {
      status: number;
      errors?: Array<{ extensions?: { code?: string } }>;
      extensions?: { cost?: { requestedQueryCost: number; throttleStatus: ThrottleStatus } };
    };
    const throttled = errors?.some((e) => e.extensions?.code === "THROTTLED") || status === 429;
    if (throttled) {
      const cost = extensions?.cost;
      return backoffMs(
        attempt,
        cost ? { requested: cost.requestedQueryCost, throttle: cost.throttleStatus } : undefined,
      );
    }
    return status >= 500 ? backoffMs(attempt) : null;
  }
}

export interface GatewayForOptions extends GatewayOptions {
  db?: PrismaClient;
  /** The time offline-token expiry is judged by (the wall clock unless a test sets it). */
  now?: () => number;
}

/**
 * A gateway for an installed shop, with its offline session's token: refreshed
 * through the shop's token endpoint (at the same configured origin as the
 * Admin API) before it expires and when the Admin API refuses it.
 */
export async function gatewayFor(shop: string, options: GatewayForOptions = {}): Promise<AdminGateway> {
  const config = env();
  const { db = prisma, now, ...gateway } = options;
  const origin = gateway.origin ?? config.ADMIN_API_ORIGIN ?? `https://${shop}`;
  try {
    const tokens = await OfflineToken.load(shop, {
      db,
      origin,
      apiKey: config.SHOPIFY_API_KEY,
      apiSecret: config.SHOPIFY_API_SECRET,
      timeoutMs: 15_000,
      fetchImpl: gateway.fetchImpl,
      now,
    });
    return new AdminGateway(shop, tokens, { ...gateway, origin });
  } catch (error) {
    if (error instanceof OfflineTokenError) throw new AdminGatewayError(error.message);
    throw error;
  }
}
