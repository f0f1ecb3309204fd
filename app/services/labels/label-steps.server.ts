import type { PrismaClient } from "@prisma/client";
import prisma from "../../db.server";
import { parseSettings, presetSettings, type PolicySettings } from "../../policy";
import { returnArrivalDeadline } from "../../policy/labels";
import type { OrderCache } from "../orders/order-cache.server";
import { withOrders } from "../returns/queue-steps.server";
import { QueueError } from "../returns/queue-errors";
import { recordEvent } from "../orders/order-timeline.server";
import { gatewayFor } from "../shopify/admin-gateway.server";
import { returnDeadlineKey, setReturnDeadline } from "../returns/return-record.server";
import type { ShopifyCaller } from "../returns/queue-steps.server";
import type { LabelService } from "./label-service.server";
import { requireLabelService } from "./easypost-labels.server";

/** What the label use cases run with; tests pass their own, production takes the configured ones. */
export interface LabelDeps {
  db?: PrismaClient;
  gateway?: ShopifyCaller;
  labels?: LabelService;
  settings?: PolicySettings;
}

export interface ResolvedDeps {
  db: PrismaClient;
  gateway: ShopifyCaller;
  labels: LabelService;
  settings: PolicySettings;
}

export async function shopSettings(db: PrismaClient, shop: string): Promise<PolicySettings> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  return row ? parseSettings(row.settings) : presetSettings();
}

export async function resolveDeps(shop: string, deps: LabelDeps, needs: { labels: boolean }): Promise<ResolvedDeps> {
  const db = deps.db ?? prisma;
  return {
    db,
    gateway: deps.gateway ?? (await gatewayFor(shop)),
    // Resolved only when a carrier is called: staff uploads work without one.
    labels: deps.labels ?? (needs.labels ? requireLabelService() : (null as unknown as LabelService)),
    settings: deps.settings ?? (await shopSettings(db, shop)),
  };
}

/**
 * A label on the return's timeline: "label issued" at `issuedAt`, RET-6's void deadline,
 * and RET-12's arrival deadline when the return's record has not set it yet.
 */
export async function recordIssuedLabel(
  orders: OrderCache,
  input: { orderId: string; returnId: string; issuedAt: Date; voidsAt: Date; source: string },
  settings: PolicySettings,
): Promise<void> {
  const { orderId, returnId } = input;
  await recordEvent(orders, orderId, "label_issued", returnId, input.issuedAt, input.source);
  await setReturnDeadline(orders, orderId, returnDeadlineKey("label_void", returnId), "RET-6", input.voidsAt);
  const order = await orders.require(orderId);
  const arrivalKey = returnDeadlineKey("return_arrival", returnId);
  const delivered = order.events
    .filter((e) => e.kind === "delivered")
    .map((e) => e.occurredAt)
    .sort((a, b) => +a - +b)[0];
  const arriveBy = delivered ? returnArrivalDeadline(delivered, settings) : null;
  if (arriveBy && !order.deadlines.some((d) => d.key === arrivalKey))
    await setReturnDeadline(orders, orderId, arrivalKey, "RET-12", arriveBy);
}

export interface NewLabel {
  source: "carrier" | "uploaded";
  carrier: string;
  carrierShipmentId?: string | null;
  trackingNumber: string | null;
  labelUrl?: string | null;
  reverseDeliveryId: string;
}

/** The label stored with its void moment and put on the return's timeline, in one transaction. */
export async function storeLabel(
  deps: ResolvedDeps,
  target: { shop: string; returnId: string; orderId: string },
  label: NewLabel,
  times: { issuedAt: Date; voidsAt: Date },
) {
  const { shop, returnId, orderId } = target;
  const row = await withOrders(deps.db, shop, times.issuedAt, async (orders) => {
    const created = await orders.tx.returnLabel.create({
      data: { returnId, shop, ...label, status: "issued", ...times },
    });
    await recordIssuedLabel(orders, { orderId, returnId, ...times, source: label.source }, deps.settings);
    return created;
  });
  return { labelId: row.id, trackingNumber: label.trackingNumber, voidsAt: times.voidsAt.toISOString() };
}

/**
 * The once-only key of the return's next label; a label that voided unused may be followed
 * by a new one, each with its own key. Only an approved return (or one whose label voided) gets one.
 */
export function nextLabelKey(ret: { id: string; status: string; labels: readonly unknown[] }): string {
  if (ret.status !== "approved" && ret.status !== "label_voided")
    throw new QueueError(
      "INVALID_STATE",
      `This return is ${ret.status.replace("_", " ")}: a label is sent only for an approved return.`,
    );
  return `label:${ret.id}:${ret.labels.length + 1}`;
}
