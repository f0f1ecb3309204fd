import type { PrismaClient } from "@prisma/client";
import prisma from "../../db.server";

/** Who a verified portal request speaks for: a shop that has the app installed and one of its customers. */
export interface PortalCustomer {
  shop: string;
  /** `gid://shopify/Customer/…` */
  customerId: string;
}

export type PortalAuthCode = "WRONG_AUDIENCE" | "SHOP_NOT_INSTALLED" | "NO_CUSTOMER";

/** A session token or proxy request that was signed correctly but cannot act in the portal. */
export class PortalAuthError extends Error {
  override name = "PortalAuthError";
  constructor(
    readonly code: PortalAuthCode,
    message: string,
  ) {
    super(message);
  }
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/[1-9]\d*$/;

/** A myshopify domain from `dest` ("shop.myshopify.com" for customer accounts, "https://shop.myshopify.com" elsewhere). */
export function shopFromDest(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const host = dest
    .replace(/^https:\/\//, "")
    .replace(/\/$/, "")
    .toLowerCase();
  return SHOP_DOMAIN.test(host) ? host : null;
}

/** Installed: the shop's row is not marked uninstalled and its offline session (the Admin API token) is stored. */
export async function isInstalled(shop: string, db: PrismaClient = prisma): Promise<boolean> {
  const [row, session] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } }),
    db.session.findFirst({ where: { shop, isOnline: false }, select: { id: true } }),
  ]);
  return Boolean(row && !row.uninstalledAt && session);
}

/**
 * The checks Shopify's `authenticate.public.customerAccount` leaves to the app, on a token whose
 * signature, `exp` and `nbf` it has verified: `aud` is this app, `dest` an installed shop, `sub` a customer.
 */
export async function customerFromSessionToken(
  claims: { aud?: unknown; dest?: unknown; sub?: unknown },
  apiKey: string,
  db: PrismaClient = prisma,
): Promise<PortalCustomer> {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (audiences.length !== 1 || audiences[0] !== apiKey) {
    throw new PortalAuthError("WRONG_AUDIENCE", "This session token was issued for another app.");
  }
  const shop = shopFromDest(claims.dest);
  if (!shop || !(await isInstalled(shop, db))) {
    throw new PortalAuthError("SHOP_NOT_INSTALLED", "This store does not have Policy Guard installed.");
  }
  if (typeof claims.sub !== "string" || !CUSTOMER_GID.test(claims.sub)) {
    throw new PortalAuthError("NO_CUSTOMER", "Sign in to your account to manage your orders.");
  }
  return { shop, customerId: claims.sub };
}

/**
 * After `authenticate.public.appProxy` has verified the signature and timestamp: the shop it was
 * signed for (installed), and the customer Shopify says is logged in (`logged_in_customer_id`,
 * empty when nobody is), or null.
 */
export async function customerFromProxyRequest(
  request: Request,
  db: PrismaClient = prisma,
): Promise<{ shop: string; customerId: string | null }> {
  const params = new URL(request.url).searchParams;
  const shop = shopFromDest(params.get("shop"));
  if (!shop || !(await isInstalled(shop, db))) {
    throw new PortalAuthError("SHOP_NOT_INSTALLED", "This store does not have Policy Guard installed.");
  }
  const id = params.get("logged_in_customer_id") ?? "";
  return { shop, customerId: /^[1-9]\d*$/.test(id) ? `gid://shopify/Customer/${id}` : null };
}
