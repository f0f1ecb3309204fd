import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readAppToml } from "./app-config";
import type { EmulatorClock } from "./auth";
import { signCustomerAccountToken } from "./customer-account";
import { legacyId, type EmulatedStore } from "./store";

/** The app's proxy as shopify.app.toml declares it: {prefix}/{subpath} on the storefront → {url} on the app. */
interface ProxyConfig {
  prefix: string;
  subpath: string;
  url: string;
}

const proxyConfig = (): ProxyConfig => (readAppToml() as unknown as { app_proxy: ProxyConfig }).app_proxy;

/**
 * Shopify's app proxy signature: every query parameter except `signature`, sorted by name, each
 * `name=value` (a repeated name's values joined with ","), concatenated with no separator,
 * HMAC-SHA256 with the app's secret, hex.
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (name === "signature") continue;
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort()
    .map((name) => `${name}=${grouped.get(name)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** The query Shopify forwards: the shopper's own parameters plus shop, customer, path prefix, timestamp and signature. */
export function signProxyQuery(options: {
  query: URLSearchParams;
  shop: string;
  /** The logged-in customer's numeric id, or null (Shopify sends it empty). */
  customerId: number | null;
  pathPrefix: string;
  secret: string;
  at: Date;
}): URLSearchParams {
  const params = new URLSearchParams(options.query);
  for (const name of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(name);
  params.set("shop", options.shop);
  params.set("logged_in_customer_id", options.customerId === null ? "" : String(options.customerId));
  params.set("path_prefix", options.pathPrefix);
  params.set("timestamp", String(Math.floor(options.at.getTime() / 1000)));
  params.set("signature", proxySignature(params, options.secret));
  return params;
}

const CUSTOMER_COOKIE = "storefront_customer";

function loggedInCustomer(req: IncomingMessage, store: EmulatedStore): number | null {
  const cookie = (req.headers.cookie ?? "").split(/;\s*/).find((c) => c.startsWith(`${CUSTOMER_COOKIE}=`));
  const id = Number(cookie?.split("=")[1]);
  return store.customers.some((c) => legacyId(c.id) === id && c.state === "ENABLED") ? id : null;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Only paths on this storefront may be returned to after logging in. */
const localPath = (value: string | null) => (value && /^\/(?!\/)/.test(value) ? value : "/");

/**
 * The shop's online store as far as the app proxy needs it: customer login (a session cookie, as
 * the storefront keeps one) and `/{prefix}/{subpath}/…` forwarded to the app, signed as Shopify
 * signs it. Cookies are not forwarded (Shopify strips them); the customer reaches the app only as
 * `logged_in_customer_id`. `signingOffsetMs` shifts the timestamps it signs (a replay test's old request).
 */
export class StorefrontProxy {
  signingOffsetMs = 0;
  /** Every request forwarded to the app: method, path and the signed query. */
  readonly forwarded: Array<{ method: string; path: string; query: URLSearchParams }> = [];

  constructor(private readonly store: EmulatedStore) {}

  /** Handles the request if it is the storefront's (login, logout or the proxy path); false otherwise. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    context: { app: { appUrl: string; secret: string; apiKey: string }; clock: EmulatorClock },
  ): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://storefront");
    const { prefix, subpath, url: proxyUrl } = proxyConfig();
    const pathPrefix = `/${prefix}/${subpath}`;
    if (url.pathname === "/account/login") return (this.login(req, res, url), true);
    if (url.pathname === "/account/logout") {
      res.writeHead(302, { Location: "/", "Set-Cookie": `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0` });
      return (res.end(), true);
    }
    if (url.pathname === "/account/session-token") return (this.sessionToken(req, res, context), true);
    if (url.pathname !== pathPrefix && !url.pathname.startsWith(`${pathPrefix}/`)) return false;

    const query = signProxyQuery({
      query: url.searchParams,
      shop: this.store.domain,
      customerId: loggedInCustomer(req, this.store),
      pathPrefix,
      secret: context.app.secret,
      at: new Date(context.clock.now() + this.signingOffsetMs),
    });
    const target = new URL(proxyUrl + url.pathname.slice(pathPrefix.length), context.app.appUrl);
    target.search = query.toString();
    this.forwarded.push({ method: req.method ?? "GET", path: target.pathname, query });
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
    const headers: Record<string, string> = {};
    for (const name of ["content-type", "accept", "accept-language", "user-agent"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(target, { method: req.method, headers, body, redirect: "manual" });
    const passed: Record<string, string> = {};
    for (const name of ["content-type", "location", "cache-control"]) {
      const value = answer.headers.get(name);
      if (value) passed[name] = value;
    }
    res.writeHead(answer.status, passed);
    res.end(Buffer.from(await answer.arrayBuffer()));
    return true;
  }

  /**
   * What `shopify.sessionToken.get()` answers a customer account extension for the logged-in
   * customer (5 minutes), so the demo can call the extensions' backend as they do.
   */
  private sessionToken(
    req: IncomingMessage,
    res: ServerResponse,
    context: { app: { secret: string; apiKey: string }; clock: EmulatorClock },
  ) {
    const customer = loggedInCustomer(req, this.store);
    if (customer === null) {
      res.writeHead(401, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ error: "Log in first: /account/login" }));
    }
    const token = signCustomerAccountToken({
      shop: this.store.domain,
      apiKey: context.app.apiKey,
      secret: context.app.secret,
      customerId: `gid://shopify/Customer/${customer}`,
      now: new Date(context.clock.now()),
    });
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ token }));
  }

  /** The emulated storefront's login: pick one of the shop's customers with an account. */
  private login(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === "POST") {
      void readBody(req).then((raw) => {
        const form = new URLSearchParams(raw.toString("utf8"));
        const id = Number(form.get("customer"));
        const known = this.store.customers.some((c) => legacyId(c.id) === id && c.state === "ENABLED");
        res.writeHead(known ? 302 : 403, {
          Location: localPath(form.get("return_url")),
          ...(known ? { "Set-Cookie": `${CUSTOMER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` } : {}),
        });
        res.end(known ? "" : "No such customer account");
      });
      return;
    }
    const back = localPath(url.searchParams.get("return_url"));
    const choices = this.store.customers
      .filter((c) => c.state === "ENABLED")
      .map(
        (c) =>
          `<li><button name="customer" value="${legacyId(c.id)}">Log in as ${escape(c.displayName)} (${escape(c.email)})</button></li>`,
      )
      .join("");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log in – ${escape(this.store.shop.name)}</title></head>` +
        `<body><h1>Log in to your account</h1><form method="post" action="/account/login">` +
        `<input type="hidden" name="return_url" value="${escape(back)}"><ul>${choices}</ul></form></body></html>`,
    );
  }
}

const proxies = new WeakMap<EmulatedStore, StorefrontProxy>();

/** The storefront of an emulated store (one per store, so tests reach the same one the emulator serves). */
export function storefront(store: EmulatedStore): StorefrontProxy {
  let proxy = proxies.get(store);
  if (!proxy) proxies.set(store, (proxy = new StorefrontProxy(store)));
  return proxy;
}
