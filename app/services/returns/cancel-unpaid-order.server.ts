import type { PrismaClient } from "@prisma/client";
import prisma from "../../db.server";
import { parseSettings, presetSettings } from "../../policy";
import { unpaidCancelNote, unpaidOnDeliveryCancel } from "../../policy/unpaid-on-delivery";
import { OrderCache } from "../orders/order-cache.server";
import { factsFromTimeline, recordEvent } from "../orders/order-timeline.server";
import { gatewayFor, type AdminGateway } from "../shopify/admin-gateway.server";
import { ActionInProgressError, runOnce } from "./shopify-action.server";
import {
  FULFILLMENT_CANCEL_MUTATION,
  UNPAID_ORDER_CANCEL_MUTATION,
  UNPAID_ORDER_STATE_QUERY,
} from "./unpaid-cancel-documents";

export type UnpaidCancelCode =
  | "NOT_FOUND"
  | "ALREADY_CANCELLED"
  | "NOT_AWAITING_PAYMENT"
  | "NOT_DUE"
  | "PAID_IN_SHOPIFY"
  | "IN_PROGRESS"
  | "SHOPIFY_USER_ERROR";

/** Why an unpaid order was not cancelled, in words staff can act on. */
export class UnpaidCancelError extends Error {
  override name = "UnpaidCancelError";
  constructor(
    readonly code: UnpaidCancelCode,
    message: string,
  ) {
    super(message);
  }
}

export interface UnpaidCancelDeps {
  db?: PrismaClient;
  gateway?: (shop: string) => Promise<AdminGateway>;
}

export interface UnpaidOrderCancelled {
  orderId: string;
  orderName: string;
  by: "staff" | "auto";
  cancelledAt: Date;
  repeated: boolean;
  message: string;
}

type UserErrors = Array<{ field: string[] | null; message: string }>;
interface OrderState {
  order: {
    cancelledAt: string | null;
    displayFinancialStatus: string | null;
    fulfillments: Array<{ id: string; status: string }>;
  } | null;
}

const PAID = new Set(["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);
const refused = (what: string, errors: UserErrors) =>
  new UnpaidCancelError("SHOPIFY_USER_ERROR", `Shopify did not ${what}: ${errors.map((e) => e.message).join(" ")}`);

/** Shopify's part: asked again first (a payment may have arrived since), the returned parcel's fulfillments, then the order. */
async function cancelInShopify(gateway: AdminGateway, orderId: string, note: string): Promise<void> {
  const { order } = await gateway.request<OrderState>(UNPAID_ORDER_STATE_QUERY, { id: orderId });
  if (!order) throw new UnpaidCancelError("NOT_FOUND", "Shopify has no such order.");
  if (order.displayFinancialStatus && PAID.has(order.displayFinancialStatus))
    throw new UnpaidCancelError(
      "PAID_IN_SHOPIFY",
      "Shopify shows this order paid: it is not cancelled (the payment is recorded as its webhook arrives).",
    );
  if (order.cancelledAt) return;
  for (const fulfillment of order.fulfillments.filter((f) => f.status === "SUCCESS")) {
    const answer = await gateway.request<{ fulfillmentCancel: { userErrors: UserErrors } }>(
      FULFILLMENT_CANCEL_MUTATION,
      { id: fulfillment.id },
    );
    if (answer.fulfillmentCancel.userErrors.length)
      throw refused("take the returned parcel back", answer.fulfillmentCancel.userErrors);
  }
  const answer = await gateway.request<{ orderCancel: { orderCancelUserErrors: UserErrors } }>(
    UNPAID_ORDER_CANCEL_MUTATION,
    { orderId, staffNote: note },
  );
  if (answer.orderCancel.orderCancelUserErrors.length)
    throw refused("cancel the order", answer.orderCancel.orderCancelUserErrors);
}

/**
 * TML-6: an unpaid payment-on-delivery order past its deadline is cancelled — by staff from its
 * alert, or by the worker when the shop's setting says so. Shopify cancels once however often it
 * is asked (ShopifyAction `cancel-unpaid:<order>`); the timeline records who cancelled it.
 */
export async function cancelUnpaidOrder(
  shop: string,
  orderId: string,
  now: Date,
  by: "staff" | "auto",
  deps: UnpaidCancelDeps = {},
): Promise<UnpaidOrderCancelled> {
  const db = deps.db ?? prisma;
  const key = `cancel-unpaid:${orderId}`;
  const order = await db.order.findFirst({
    where: { id: orderId, shop },
    include: { events: true, deadlines: { where: { key: "payment_on_delivery_by" } } },
  });
  if (!order) throw new UnpaidCancelError("NOT_FOUND", "This shop has no such order.");
  const previous = await db.shopifyAction.findUnique({ where: { shop_key: { shop, key } } });
  const facts = factsFromTimeline(order, order.events);
  const decision = unpaidOnDeliveryCancel({ ...facts, dueAt: order.deadlines[0]?.dueAt ?? null }, now);
  if (!decision.allowed && previous?.status !== "done")
    throw new UnpaidCancelError(decision.code as UnpaidCancelCode, decision.message);
  const note = unpaidCancelNote(by);
  const outcome = await runOnce(
    shop,
    key,
    async () => {
      await cancelInShopify(await (deps.gateway ?? gatewayFor)(shop), orderId, note);
      await db.$transaction(async (tx) => {
        const orders = new OrderCache(tx, now).forShop(shop);
        await recordEvent(orders, orderId, "cancelled", "", now, note);
        await orders.flush();
        await tx.order.update({ where: { id: orderId }, data: { cancelledAt: now } });
      });
      return { cancelledAt: now.toISOString(), by };
    },
    { db, now },
  ).catch((error: unknown) => {
    if (error instanceof ActionInProgressError)
      throw new UnpaidCancelError("IN_PROGRESS", "This order is being cancelled right now; reload in a moment.");
    throw error;
  });
  return {
    orderId,
    orderName: order.name,
    by: outcome.result.by,
    cancelledAt: new Date(outcome.result.cancelledAt),
    repeated: outcome.repeated,
    message: `Order ${order.name} is cancelled: ${unpaidCancelNote(outcome.result.by)}`,
  };
}

/**
 * The worker's part (TML-6 with `timeline.autoCancelUnpaidOnDelivery` on): in each installed shop
 * with the setting on, orders whose payment-on-delivery deadline has passed unpaid are cancelled
 * (read by the shop's deadline index, so shops with it off cost nothing). A payment recorded before
 * (orders/paid) removes the deadline, so a paid order is never picked; one Shopify shows paid is skipped.
 */
export async function cancelOverdueUnpaidOrders(
  now: Date,
  deps: UnpaidCancelDeps = {},
  limit = 50,
): Promise<{ cancelled: number; skipped: number; failed: number }> {
  const db = deps.db ?? prisma;
  const sweep = { cancelled: 0, skipped: 0, failed: 0 };
  const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true, settings: true } });
  for (const { domain: shop, settings } of shops) {
    if (!(settings ? parseSettings(settings) : presetSettings()).timeline.autoCancelUnpaidOnDelivery) continue;
    const due = await db.orderDeadline.findMany({
      where: { shop, settled: false, dueAt: { lt: now }, key: "payment_on_delivery_by", order: { cancelledAt: null } },
      orderBy: { dueAt: "asc" },
      take: limit,
      select: { orderId: true },
    });
    for (const { orderId } of due) {
      try {
        await cancelUnpaidOrder(shop, orderId, now, "auto", deps);
        sweep.cancelled++;
      } catch (error) {
        if (error instanceof UnpaidCancelError && error.code !== "SHOPIFY_USER_ERROR") sweep.skipped++;
        else {
          sweep.failed++;
          console.warn(`TML-6 cancel of ${orderId} (${shop}) put off: ${(error as Error).message}`);
        }
      }
    }
  }
  return sweep;
}
