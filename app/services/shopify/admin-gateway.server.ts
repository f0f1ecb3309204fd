import type { PrismaClient } from "@prisma/client";
import { ClientError, GraphQLClient } from "graphql-request";
import { ADMIN_API_VERSION } from "../../api-version";
import { PROBE_QUERY } from "./gateway-documents";
import prisma from "../../db.server";
import { env } from "../../env.server";
import { fixedToken, OfflineToken, OfflineTokenError, type AccessTokenSource } from "./offline-token.server";

export class AdminGatewayError extends Error {
  override name = "AdminGatewayError";
}

/**
 * The shop's Admin API cannot be used right now (it does not answer, it failed
 * repeatedly a moment ago, or its bucket needs longer to refill than the caller
 * can wait): the work is not at fault and can be tried again at `retryAt`.
 */
export class ShopUnavailableError extends AdminGatewayError {
  override name = "ShopUnavailableError";
  constructor(
    message: string,
    readonly retryAt: Date,
  ) {
    super(message);
  }
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

/** How long the bucket takes to refill `points` at its restore rate. */
const refillMs = (points: number, throttle: ThrottleStatus) => Math.ceil((points / throttle.restoreRate) * 1000);

/** How long background work should wait so the bucket is back at the reserve (0: go on). */
export function reserveWaitMs(throttle: ThrottleStatus | undefined): number {
  if (!throttle?.maximumAvailable || throttle.restoreRate <= 0) return 0;
  const missing = throttle.maximumAvailable * INTERACTIVE_RESERVE - throttle.currentlyAvailable;
  return missing > 0 ? refillMs(missing, throttle) : 0;
}

/**
 * Shops whose Admin API failed or hung: their requests fail fast until `until`;
 * then one probe request (never the work itself) decides whether it is back.
 */
const outages = new Map<string, { until: number; failures: number; reason: string; probing?: boolean }>();
const MAX_COOLDOWN_MS = 10 * 60_000;

/** Until when a shop's Admin API is considered unavailable (null: it is not). */
export function shopUnavailableUntil(shop: string, now = Date.now()): Date | null {
  const outage = outages.get(shop);
  return outage && outage.until > now ? new Date(outage.until) : null;
}

function markUnavailable(shop: string, reason: string, cooldownMs: number, now = Date.now()): Date {
  const current = outages.get(shop);
  if (current && current.until > now) return new Date(current.until); // concurrent requests of one outage count once
  const failures = (current?.failures ?? 0) + 1;
  const until = now + Math.min(MAX_COOLDOWN_MS, cooldownMs * 2 ** (failures - 1));
  outages.set(shop, { until, failures, reason });
  console.warn(`Admin API for ${shop}: ${reason}; its work waits ${Math.round((until - now) / 1000)} s`);
  return new Date(until);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abort, { once: true });
  });

/** The message of an HTTP error body such as `{"errors": "Service Unavailable"}`, if it is one. */
function httpError(body: string | undefined): string | undefined {
  try {
    const errors = (JSON.parse(body ?? "") as { errors?: unknown })?.errors;
    return typeof errors === "string" ? errors.split("\n")[0] : undefined;
  } catch {
    return undefined; // not JSON: an edge's HTML page
  }
}

/** The first line of an Admin API failure, without the request and response graphql-request appends. */
function describe(error: unknown): string {
  if (error instanceof ClientError) {
    const { status, errors, body } = error.response as { status: number; errors?: unknown; body?: string };
    // GraphQL errors are a list; Shopify's HTTP errors say it in one string ({"errors": "Service Unavailable"}).
    const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined)?.message : httpError(body);
    if (typeof first !== "string") return `GraphQL Error (Code: ${status})`;
    return status === 200 ? first : `${first} (HTTP ${status})`;
  }
  return ((error as Error)?.message ?? String(error)).split("\n")[0]!;
}

/**
 * How long an HTTP 429 or 5xx answer asks the client to wait (Retry-After, in seconds
 * or as an HTTP date), at most MAX_COOLDOWN_MS; null when it does not say.
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | null {
  if (!(error instanceof ClientError)) return null;
  const { status, headers } = error.response as { status: number; headers?: Headers };
  const header = status === 429 || status >= 500 ? headers?.get?.("retry-after")?.trim() : undefined;
  if (!header) return null;
  const seconds = /^\d+(\.\d+)?$/.test(header) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isNaN(seconds) ? null : Math.min(MAX_COOLDOWN_MS, Math.max(0, Math.ceil(seconds * 1000)));
}

/** How long to wait before retrying: enough for the bucket to refill the query's cost, else exponential. */
export function backoffMs(attempt: number, cost?: { requested: number; throttle?: ThrottleStatus }): number {
  if (cost?.throttle && cost.throttle.restoreRate > 0) {
    return refillMs(Math.max(0, cost.requested - cost.throttle.currentlyAvailable), cost.throttle) + 50;
  }
  return Math.min(30_000, 250 * 2 ** attempt);
}

interface ThrottledQueryError {
  body?: {
    errors?: { graphQLErrors?: Array<{ extensions?: { code?: string } }> };
    extensions?: {
      cost?: { requestedQueryCost: number; throttleStatus: { currentlyAvailable: number; restoreRate: number } };
    };
  };
}

/**
 * A merchant's page calling the Admin API through the Shopify library waits for
 * the shop's query-cost bucket to refill (an install backfill may have drained
 * it) rather than failing; a few tries.
 */
export async function waitingOutThrottles<T>(call: () => Promise<T>, tries = 4): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const body = (error as ThrottledQueryError).body;
      const throttled = body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED");
      if (!throttled || attempt + 1 >= tries) throw error;
      const cost = body?.extensions?.cost;
      const wait = backoffMs(
        attempt,
        cost ? { requested: cost.requestedQueryCost, throttle: cost.throttleStatus } : undefined,
      );
      await sleep(wait);
    }
  }
}

export interface GatewayOptions {
  /** The shop's Admin API origin; `https://{shop}` unless configured (the store emulator in tests and the demo). */
  origin?: string;
  maxAttempts?: number;
  /** Requests in flight at once; more wait their turn (a batch of webhooks prepares concurrently). */
  maxConcurrent?: number;
  fetchImpl?: typeof fetch;
  /** Each attempt is abandoned after this long and counts as a failed, retryable attempt (default 15 s). */
  timeoutMs?: number;
  /** A request's attempts and waits end within this (default 60 s): no attempt starts that could run past it. */
  budgetMs?: number;
  /** How long a shop whose Admin API hung or kept failing is left alone at first; doubles up to 10 minutes (default 5 s). */
  cooldownMs?: number;
}

/**
 * The one way background work (webhook processing, reconciliation) calls the
 * Admin API: the shop's offline token (refreshed before it expires and when
 * refused), typed documents, and backoff when Shopify throttles or fails
 * transiently. Every attempt has a timeout and every request a total budget.
 * It never spends the last INTERACTIVE_RESERVE of the shop's bucket, so the
 * merchant's pages load while an install backfill or an audit runs. A shop whose
 * Admin API hangs or keeps failing is left alone for a cool-down: its requests
 * fail fast with ShopUnavailableError so other shops' work goes on.
 */
export class AdminGateway {
  private readonly client: GraphQLClient;
  private readonly tokens: AccessTokenSource;
  private readonly maxAttempts: number;
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  private readonly cooldownMs: number;
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];
  private deadline: { at: number; signal: AbortSignal } | null = null;

  constructor(
    readonly shop: string,
    accessToken: string | AccessTokenSource,
    options: GatewayOptions = {},
  ) {
    const origin = options.origin ?? `https://${shop}`;
    this.tokens = typeof accessToken === "string" ? fixedToken(accessToken) : accessToken;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.budgetMs = options.budgetMs ?? 60_000;
    this.cooldownMs = options.cooldownMs ?? 5_000;
    this.client = new GraphQLClient(`${origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      fetch: options.fetchImpl,
    });
  }

  /**
   * Requests through this gateway give up `ms` from now with ShopUnavailableError
   * (a batch's per-shop deadline: a slow shop does not hold up the others).
   */
  withDeadline(ms: number): this {
    this.deadline = { at: Date.now() + ms, signal: AbortSignal.timeout(ms) };
    return this;
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

  /**
   * Wait `ms`, unless the deadline comes first: then the work is put off, to when
   * the wait would have ended (throttled) or past the shop's cool-down (failing).
   */
  private async wait(ms: number, why: string, failing: boolean): Promise<void> {
    if (this.deadline && Date.now() + ms > this.deadline.at) {
      const retryAt = failing
        ? markUnavailable(this.shop, why, Math.max(this.cooldownMs, ms))
        : new Date(Date.now() + ms);
      throw new ShopUnavailableError(`Admin API for ${this.shop}: ${why}; tried again later`, retryAt);
    }
    try {
      await sleep(ms, this.deadline?.signal);
    } catch {
      throw this.pastDeadline();
    }
  }

  private pastDeadline(): ShopUnavailableError {
    const reason = "did not answer before the batch's deadline";
    return new ShopUnavailableError(
      `Admin API for ${this.shop} ${reason}; tried again later`,
      markUnavailable(this.shop, reason, this.cooldownMs),
    );
  }

  private async attempt<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    const started = Date.now();
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const outage = outages.get(this.shop);
      if (outage) {
        const why = `Admin API for ${this.shop} is unavailable (${outage.reason}); tried again later`;
        if (outage.until > Date.now()) throw new ShopUnavailableError(why, new Date(outage.until));
        // The cool-down is over: a probe finds out, and the work is not held up waiting for it.
        if (!outage.probing) this.probe(outage);
        throw new ShopUnavailableError(why, new Date(Date.now() + this.timeoutMs + 1_000));
      }
      const pause = (resumeAt.get(this.shop) ?? 0) - Date.now();
      if (pause > 0) await this.wait(pause, "its query-cost bucket is below the merchant's reserve", false);
      let timeout: AbortSignal | null = null;
      let token: string | null = null;
      try {
        token = await this.tokens.current(this.deadline?.signal);
        timeout = AbortSignal.timeout(this.timeoutMs);
        const { data, extensions } = await this.client.rawRequest<T>({
          query: document,
          variables,
          requestHeaders: { "X-Shopify-Access-Token": token },
          signal: this.deadline ? AbortSignal.any([timeout, this.deadline.signal]) : timeout,
        });
        outages.delete(this.shop);
        const wait = reserveWaitMs(
          (extensions as { cost?: { throttleStatus?: ThrottleStatus } })?.cost?.throttleStatus,
        );
        if (wait > 0) resumeAt.set(this.shop, Date.now() + wait);
        return data;
      } catch (failure) {
        let error = failure;
        if (this.deadline?.signal.aborted) throw this.pastDeadline();
        if (token && !renewed && error instanceof ClientError && error.response.status === 401) {
          // Expired or refused: refresh the offline token (or take the one another process stored) and go again.
          renewed = true;
          try {
            await this.tokens.renew(token, this.deadline?.signal);
            continue;
          } catch (renewal) {
            if (this.deadline?.signal.aborted) throw this.pastDeadline();
            error = renewal; // the token endpoint failed: retried like any other failure, or given up on
          }
        }
        if (error instanceof OfflineTokenError && !error.transient) {
          throw new AdminGatewayError(`Admin API request failed for ${this.shop}: ${error.message}`);
        }
        const timedOut = timeout?.aborted ?? false;
        const reason = timedOut ? `did not answer within ${this.timeoutMs} ms` : describe(error);
        const retry = this.retryDelay(error, attempt);
        if (retry === null) throw new AdminGatewayError(`Admin API request failed for ${this.shop}: ${reason}`);
        const throttled = isThrottle(error);
        // Another attempt only if it could end (wait, then a full timeout) within the budget.
        const pastBudget = Date.now() + retry + this.timeoutMs - started > this.budgetMs;
        if (throttled && (pastBudget || (this.deadline && Date.now() + retry > this.deadline.at))) {
          // The bucket refills later than the caller can wait: not a failure, the work is put off until then.
          throw new ShopUnavailableError(
            `Admin API for ${this.shop}: ${reason}; tried again later`,
            new Date(Date.now() + retry),
          );
        }
        if (attempt + 1 >= this.maxAttempts || pastBudget) {
          const attempts = attempt + 1 === 1 ? "1 attempt" : `${attempt + 1} attempts`;
          const summary = `${reason} (${attempts} in ${Math.round((Date.now() - started) / 1000)} s)`;
          // Still a transient failure (throttled, 5xx, no answer): the work is put off, never counted against it.
          const retryAt = throttled
            ? new Date(Date.now() + retry)
            : markUnavailable(this.shop, summary, Math.max(this.cooldownMs, retry));
          throw new ShopUnavailableError(`Admin API request failed for ${this.shop}: ${summary}`, retryAt);
        }
        await this.wait(retry, reason, !throttled);
      }
    }
  }

  /** One small request after a cool-down: any answer ends the outage; none renews it, for twice as long. */
  private probe(outage: { probing?: boolean; reason: string }): void {
    outage.probing = true;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    void this.tokens
      .current(timeout)
      .then((token) =>
        this.client.rawRequest({
          query: PROBE_QUERY,
          requestHeaders: { "X-Shopify-Access-Token": token },
          signal: timeout,
        }),
      )
      .then(
        () => true,
        // It answered (a refused token is a problem of its own, for the work to report).
        (error: unknown) =>
          (error instanceof ClientError && error.response.status < 500) ||
          (error instanceof OfflineTokenError && !error.transient),
      )
      .then((answered) => {
        if (outages.get(this.shop) !== outage) return;
        if (answered) outages.delete(this.shop);
        else markUnavailable(this.shop, outage.reason, this.cooldownMs);
      })
      .finally(() => (outage.probing = false));
  }

  /** How long before the next attempt, or null when another cannot help; never sooner than a Retry-After asks. */
  private retryDelay(error: unknown, attempt: number): number | null {
    if (!(error instanceof ClientError)) return backoffMs(attempt); // network failure, timeout, token endpoint down
    const { status, extensions } = error.response as {
      status: number;
      extensions?: { cost?: { requestedQueryCost: number; throttleStatus: ThrottleStatus } };
    };
    if (isThrottle(error)) {
      const cost = extensions?.cost;
      const refill = backoffMs(
        attempt,
        cost ? { requested: cost.requestedQueryCost, throttle: cost.throttleStatus } : undefined,
      );
      return Math.max(refill, retryAfterMs(error) ?? 0);
    }
    if (status === 429 || status >= 500) return Math.max(backoffMs(attempt), retryAfterMs(error) ?? 0);
    return null;
  }
}

function isThrottle(error: unknown): boolean {
  if (!(error instanceof ClientError)) return false;
  const { status, errors } = error.response as { status: number; errors?: Array<{ extensions?: { code?: string } }> };
  return status === 429 || Boolean(errors?.some((e) => e.extensions?.code === "THROTTLED"));
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
      timeoutMs: gateway.timeoutMs ?? 15_000,
      fetchImpl: gateway.fetchImpl,
      now,
    });
    return new AdminGateway(shop, tokens, { ...gateway, origin });
  } catch (error) {
    if (error instanceof OfflineTokenError) throw new AdminGatewayError(error.message);
    throw error;
  }
}
