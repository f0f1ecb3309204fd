import type { Prisma, PrismaClient } from "@prisma/client";
import type { PolicySettings } from "../../policy";
import prisma from "../../db.server";
import { AdminGatewayError, gatewayFor, type AdminGateway } from "../shopify/admin-gateway.server";
import { OrderCache } from "../orders/order-cache.server";
import { QueueError, returnNotFound } from "./queue-errors";
import { PortalError } from "./portal-errors";
import { ensureFacts } from "./return-facts.server";
import { ActionInProgressError, onceOnly } from "./shopify-action.server";

/** The part of the Admin gateway the queue uses (the shop's offline token, retries, timeouts). */
export interface ShopifyCaller {
  readonly shop: string;
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

/** What every queue action runs with: the database, the shop's Admin API, its settings and the time. */
export interface QueueContext {
  db: PrismaClient;
  gateway: ShopifyCaller;
  settings: PolicySettings;
  now: Date;
}

/** The context for a staff member's action in the embedded admin: the shop's offline-token gateway. */
export async function queueContext(shop: string, settings: PolicySettings, now: Date): Promise<QueueContext> {
  try {
    return { db: prisma, gateway: await gatewayFor(shop), settings, now };
  } catch (error) {
    if (error instanceof AdminGatewayError)
      throw new QueueError("SHOPIFY_UNAVAILABLE", `The store's Admin API cannot be used: ${error.message}`);
    throw error;
  }
}

/** Everything the queue's rules read of a return, loaded in one query with its relations. */
export const RETURN_FACTS = {
  lines: { orderBy: { id: "asc" } },
  labels: { orderBy: { issuedAt: "desc" } },
  photos: { orderBy: { createdAt: "asc" } },
  order: {
    include: {
      lines: true,
      events: { select: { kind: true, ref: true, occurredAt: true, source: true }, orderBy: { occurredAt: "asc" } },
    },
  },
} satisfies Prisma.ReturnInclude;

export type ReturnWithFacts = Prisma.ReturnGetPayload<{ include: typeof RETURN_FACTS }>;

/** The return, only if it belongs to this shop: another shop's return reads as not found. */
export async function ownReturn(db: PrismaClient, shop: string, id: string): Promise<ReturnWithFacts> {
  const found = await db.return.findFirst({ where: { id, shop }, include: RETURN_FACTS });
  if (!found) throw returnNotFound();
  return found;
}

interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** Shopify's userErrors as one sentence staff can read. */
export function userErrorText(errors: readonly UserError[]): string {
  return errors.map((e) => e.message).join(" ");
}

/**
 * One Admin API mutation: userErrors become SHOPIFY_USER_ERROR with Shopify's words, a Shopify
 * that cannot be reached becomes SHOPIFY_UNAVAILABLE (safe to try again: the action is once-only).
 */
export async function mutate<P extends { userErrors: UserError[] }>(
  gateway: ShopifyCaller,
  document: string,
  variables: Record<string, unknown>,
  field: string,
  what: string,
): Promise<P> {
  const data = await ask<Record<string, P | null>>(gateway, document, variables, what);
  const payload = data[field];
  if (!payload) throw new QueueError("SHOPIFY_UNAVAILABLE", `Shopify gave no answer to ${what}. Try again.`);
  if (payload.userErrors.length)
    throw new QueueError("SHOPIFY_USER_ERROR", `Shopify refused to ${what}: ${userErrorText(payload.userErrors)}`);
  return payload;
}

/** One Admin API request, its transport failures made readable. */
export async function ask<T>(
  gateway: ShopifyCaller,
  document: string,
  variables: Record<string, unknown>,
  what: string,
): Promise<T> {
  try {
    return await gateway.request<T>(document, variables);
  } catch (error) {
    if (error instanceof AdminGatewayError)
      throw new QueueError(
        "SHOPIFY_UNAVAILABLE",
        `Shopify could not be reached to ${what} (${error.message}). Try again: a change Shopify already made is not repeated.`,
      );
    throw error;
  }
}

/**
 * An action that changes Shopify, at most once per key (double click, retried request): the
 * second caller gets the first one's result. `recover` tells, before a failed attempt is
 * retried, whether Shopify made the change after all (a timeout after Shopify acted).
 */
export async function once<T>(
  db: PrismaClient,
  shop: string,
  key: string,
  now: Date,
  run: () => Promise<T>,
  recover?: () => Promise<T | null>,
): Promise<T> {
  try {
    return await onceOnly(shop, key, run, { db, now, recover });
  } catch (error) {
    if (error instanceof ActionInProgressError)
      throw new QueueError("IN_PROGRESS", "This action is already under way. Wait a moment and reload the page.");
    throw error;
  }
}

/** Writes to the app's copy of an order and its returns, in one transaction (OrderCache batches them). */
export function withOrders<T>(db: PrismaClient, shop: string, now: Date, write: (orders: OrderCache) => Promise<T>) {
  return db.$transaction(async (tx) => {
    const orders = new OrderCache(tx, now).forShop(shop);
    const result = await write(orders);
    await orders.flush();
    return result;
  });
}

/** "123.45" for Shopify's MoneyInput, from integer minor units. */
export function decimalAmount(cents: number, digits = 2): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  if (digits === 0) return `${sign}${abs}`;
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`;
}

/**
 * RET-2 needs each line's compare-at price and tags, which order webhooks do not carry: when the
 * stored lines do not know them yet they are read through the Admin API once and kept
 * (return-facts' ensureFacts, the portal's own way).
 */
export async function withSaleFacts(ctx: QueueContext, ret: ReturnWithFacts): Promise<ReturnWithFacts> {
  const wanted = new Set(ret.lines.map((l) => l.orderLineId));
  const known = ret.order.lines.every(
    (l) => !wanted.has(l.id) || (l.productTags !== null && l.compareAtCents !== null),
  );
  if (known) return ret;
  const shop = ctx.gateway.shop;
  const order = await ctx.db.order.findFirstOrThrow({
    where: { id: ret.orderId, shop },
    include: { lines: true, events: true, returns: { include: { lines: true, labels: true } } },
  });
  try {
    await ensureFacts(shop, order, ctx.settings, {
      db: ctx.db,
      gateway: async () => ctx.gateway as unknown as AdminGateway,
    });
  } catch (error) {
    if (error instanceof PortalError)
      throw new QueueError("SHOPIFY_UNAVAILABLE", `The order's items could not be read from Shopify: ${error.message}`);
    throw error;
  }
  return ownReturn(ctx.db, shop, ret.id);
}
