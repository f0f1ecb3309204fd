import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadSchema } from "../support/admin-schema";
import { extensionFunctions, tomlScopes, tomlSubscriptions } from "./app-config";
import { ADMIN_SCRIPTS, adminHomePage, appFramePage, productPage } from "./admin/pages";
import { shippingSettings } from "./admin/shipping-settings";
import { AccessTokens, EmulatorClock, signSessionToken, verifySessionToken, type OfflineGrant } from "./auth";
import { runGraphQL, ThrottleBucket, type ResolverMap } from "./graphql/execute";
import { mutationResolvers } from "./resolvers/mutations";
import { withHealthResolvers } from "./resolvers/health";
import { queryResolvers } from "./resolvers/query";
import { withPortalReturns } from "./resolvers/returns";
import { withReturnLabels } from "./resolvers/return-labels";
import { withDraftOrders } from "./resolvers/draft-orders";
import { withReturnQueue } from "./resolvers/return-queue";
import type { AppFunction, StoreContext } from "./resolvers/shared";
import { typeResolvers } from "./resolvers/types";
import { legacyId, type EmulatedStore, type Node } from "./store";
import { storefront } from "./storefront-proxy";
import { WebhookDelivery, type DeliveryOptions } from "./webhooks";
import { AdminApiFaults } from "./faults";

export const API_VERSION = "2026-10";

export interface EmulatedApp {
  apiKey: string;
  secret: string;
  title: string;
  handle: string;
  /** Where the app is served; relative webhook URIs resolve against it. */
  appUrl: string;
  functions?: AppFunction[];
}

export interface EmulatorOptions {
  store: EmulatedStore;
  app: EmulatedApp;
  port?: number;
  webhooks?: Omit<DeliveryOptions, "secret">;
  /** Subscribe the app's shopify.app.toml topics (default true). */
  subscribeFromToml?: boolean;
  /** How long the admin's session tokens live (Shopify: 60 s). */
  sessionTokenTtlSeconds?: number;
  /** The clock access and refresh tokens expire by (default the wall clock); `emulator.clock.advance` moves it. */
  now?: () => number;
}

export interface Emulator {
  origin: string;
  store: EmulatedStore;
  webhooks: WebhookDelivery;
  tokens: AccessTokens;
  /** What access and refresh tokens expire by: `clock.advance(61 * 60_000)` is an hour and a minute later. */
  clock: EmulatorClock;
  throttle: ThrottleBucket;
  /** Transient Admin API failures to answer with (bursts of 5xx and THROTTLED), and those given. */
  faults: AdminApiFaults;
  /** A non-expiring offline access token for the installed app, as token exchange would grant. */
  installToken(): string;
  /** An expiring offline token (1 hour) with its refresh token, as token exchange with `expiring=1` grants. */
  installExpiringToken(): OfflineGrant;
  sessionToken(ttlSeconds?: number): string;
  /** The URL a merchant opens in the emulated admin to launch the app. */
  adminAppUrl(): string;
  /** The emulated App Bridge script, for the app's APP_BRIDGE_URL. */
  appBridgeUrl(): string;
  graphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<any>;
  /** The merchant uninstalls the app: tokens stop working and app/uninstalled is sent. */
  uninstall(): void;
  /** Shopify's mandatory compliance requests, as Shopify sends them. */
  compliance: {
    customerDataRequest(customer: Node): void;
    customerRedact(customer: Node): void;
    shopRedact(): void;
  };
  close(): Promise<void>;
}

const RESOLVERS: ResolverMap = withDraftOrders(
  withReturnLabels(
    withPortalReturns(
      withReturnQueue(withHealthResolvers({ ...typeResolvers, ...queryResolvers, ...mutationResolvers })),
    ),
  ),
);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(body);
}

function script(res: ServerResponse, body: string) {
  res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" });
  res.end(body);
}

/** The admin host base64-encoded as Shopify passes it in `host`. */
export function hostParam(store: EmulatedStore): string {
  return Buffer.from(`admin.shopify.com/store/${store.domain.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

const complianceBase = (store: EmulatedStore) => ({ shop_id: legacyId(store.shop.id), shop_domain: store.domain });
const complianceCustomer = (customer: Node) => ({ id: legacyId(customer.id), email: customer.email, phone: null });

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { store, app } = options;
  const schema = loadSchema(`admin_${API_VERSION}`);
  const clock = new EmulatorClock(options.now);
  const tokens = new AccessTokens(clock);
  // The app's Functions as deployed: those of extensions/ unless a test registers its own.
  const functions = app.functions ?? extensionFunctions();
  const throttle = new ThrottleBucket();
  const faults = new AdminApiFaults();
  const scopes = tomlScopes().join(",");
  const webhookSubscriptions: Node[] = [];
  const uploads = store.uploads;
  const webhooks = new WebhookDelivery(store, { secret: app.secret, apiVersion: API_VERSION, ...options.webhooks });
  if (options.subscribeFromToml !== false)
    for (const s of tomlSubscriptions(app.appUrl)) webhooks.subscribe(s.topic, s.uri);
  let origin = "";

  const context = (): StoreContext => ({
    shopDomain: store.domain,
    store,
    app: { apiKey: app.apiKey, title: app.title, functions },
    origin,
    webhookSubscriptions,
  });

  const sessionToken = (ttlSeconds = options.sessionTokenTtlSeconds) =>
    signSessionToken({ shop: store.domain, apiKey: app.apiKey, secret: app.secret, ttlSeconds });

  /** The app framed in the admin at `appPath`, launched as Shopify launches it: shop, host and a fresh session token. */
  const appFrame = (res: ServerResponse, appPath: string, search: URLSearchParams) => {
    const target = new URL(appPath, app.appUrl);
    target.search = new URLSearchParams({
      ...Object.fromEntries(search),
      embedded: "1",
      shop: store.domain,
      host: hostParam(store),
      locale: "en",
      id_token: sessionToken(),
    }).toString();
    return html(res, 200, appFramePage(store, app, appPath + (search.size ? `?${search}` : ""), target.toString()));
  };
  const appPagePattern = new RegExp(`^/admin/apps/(?:${app.handle}|${app.apiKey})(/.*)?$`);

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse) => {
    if (!tokens.valid(req.headers["x-shopify-access-token"] as string | undefined)) {
      return json(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
    } catch {
      return json(res, 400, { errors: { query: "Required parameter missing or invalid" } });
    }
    const fault = faults.next();
    if (fault.respond) return fault.respond(res);
    const result = await runGraphQL({
      schema,
      resolvers: RESOLVERS,
      query: body.query,
      variables: body.variables,
      operationName: body.operationName,
      context: context(),
      bucket: fault.bucket ?? throttle,
    });
    const throttled = result.errors?.some((e) => e.extensions?.code === "THROTTLED");
    return json(res, 200, result, throttled ? { "Retry-After": "1" } : {});
  };

  const handleTokenExchange = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = (await readBody(req)).toString("utf8");
    const params: Record<string, string> = (req.headers["content-type"] ?? "").includes("json")
      ? JSON.parse(raw || "{}")
      : Object.fromEntries(new URLSearchParams(raw));
    if (params.client_id !== app.apiKey || params.client_secret !== app.secret) {
      return json(res, 400, { error: "invalid_client", error_description: "Client credentials are invalid" });
    }
    if (params.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      const claims = verifySessionToken(params.subject_token ?? "", app.secret);
      if (!claims || claims.dest !== `https://${store.domain}` || claims.aud !== app.apiKey) {
        return json(res, 400, {
          error: "invalid_subject_token",
          error_description: "Session token is invalid or expired",
        });
      }
    } else if (params.grant_type === "refresh_token") {
      // A new pair every time; the refresh token used is retired once its replacement is used.
      const grant = tokens.refresh(params.refresh_token ?? "");
      if (!grant) {
        return json(res, 400, {
          error: "invalid_grant",
          error_description: "The refresh token is invalid, expired or already replaced",
        });
      }
      return json(res, 200, grant);
    } else if (params.grant_type !== "client_credentials") {
      return json(res, 400, { error: "unsupported_grant_type" });
    }
    if (params.expiring === "1") return json(res, 200, tokens.issueExpiring(scopes));
    return json(res, 200, { access_token: tokens.issue(scopes), scope: scopes });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const route = `${req.method} ${url.pathname}`;
    void (async () => {
      try {
        if (route === `POST /admin/api/${API_VERSION}/graphql.json`) return await handleGraphQL(req, res);
        if (/^POST \/admin\/api\/[^/]+\/graphql\.json$/.test(route))
          return json(res, 404, { errors: `The store emulator serves API version ${API_VERSION} only` });
        if (route === "POST /admin/oauth/access_token") return await handleTokenExchange(req, res);
        if (url.pathname === "/emulator/faults") return await faults.control(req, res);
        if (await shippingSettings(store, req, res)) return;
        if (route === "GET /admin" || route === "GET /") return html(res, 200, adminHomePage(store, app));
        const appPage = req.method === "GET" ? appPagePattern.exec(url.pathname) : null;
        if (appPage) return appFrame(res, appPage[1] || "/app", url.searchParams);
        const product = req.method === "GET" ? /^\/admin\/products\/(\d+)$/.exec(url.pathname) : null;
        if (product) {
          const found = store.products.find((p) => legacyId(p.id) === Number(product[1]));
          return found ? html(res, 200, productPage(store, app, found)) : json(res, 404, { errors: "Not Found" });
        }
        if (route === "POST /admin/app-bridge/session-token") return json(res, 200, { token: sessionToken() });
        if (route === "GET /cdn/app-bridge.js") return script(res, ADMIN_SCRIPTS.appBridge);
        if (route === "GET /admin/admin-frame.js") return script(res, ADMIN_SCRIPTS.adminFrame);
        if (await storefront(store).handle(req, res, { app, clock })) return;
        if (url.pathname.startsWith("/uploads/") && (req.method === "PUT" || req.method === "POST")) {
          uploads.set(url.pathname, {
            type: req.headers["content-type"] ?? "application/octet-stream",
            body: await readBody(req),
          });
          res.writeHead(201);
          return res.end();
        }
        if (url.pathname.startsWith("/uploads/") && req.method === "GET") {
          const file = uploads.get(url.pathname);
          if (!file) return json(res, 404, { errors: "Not Found" });
          res.writeHead(200, { "Content-Type": file.type });
          return res.end(file.body);
        }
        return json(res, 404, { errors: "Not Found" });
      } catch (error) {
        json(res, 500, { errors: `Store emulator failure: ${(error as Error).message}` });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    store,
    webhooks,
    tokens,
    clock,
    throttle,
    faults,
    installToken: () => tokens.issue(scopes),
    installExpiringToken: () => tokens.issueExpiring(scopes),
    sessionToken,
    adminAppUrl: () => `${origin}/admin/apps/${app.handle}`,
    appBridgeUrl: () => `${origin}/cdn/app-bridge.js`,
    graphql: async (query, variables, token) => {
      const response = await fetch(`${origin}/admin/api/${API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token ?? tokens.issue(scopes) },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    uninstall: () => {
      tokens.revokeAll();
      store.emitTopic("app/uninstalled", store.shop);
    },
    compliance: {
      customerDataRequest: (customer) =>
        webhooks.sendPayload("customers/data_request", {
          ...complianceBase(store),
          customer: complianceCustomer(customer),
          orders_requested: (customer.orders as Node[]).map((o) => legacyId(o.id)),
          data_request: { id: Math.floor(Math.random() * 1e6) },
        }),
      customerRedact: (customer) =>
        webhooks.sendPayload("customers/redact", {
          ...complianceBase(store),
          customer: complianceCustomer(customer),
          orders_to_redact: (customer.orders as Node[]).map((o) => legacyId(o.id)),
        }),
      shopRedact: () => webhooks.sendPayload("shop/redact", complianceBase(store)),
    },
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
