import {
  CLAIM_REASONS,
  formatMoney,
  lineReturnEligibility,
  max,
  money,
  quoteRefund,
  subtract,
  sum,
  zero,
  type Decision,
  type Fee,
  type LineEligibility,
  type PaymentFact,
  type PolicySettings,
  type RefundQuote,
  type ReturnReason,
} from "../../policy";
import type { ReturnWithFacts } from "./queue-steps.server";

/** RET-5 / RET-11: what staff recorded when the item was inspected. */
export interface Inspection {
  checklist: { asDescribed: boolean; originalPackaging: boolean; allTags: boolean; authentic: boolean };
  outcome: "passed" | "failed" | "inauthentic";
  note: string | null;
  /** Inventory put back for sale (a passed inspection restocks, INV-2), or why not. */
  restock: { restocked: number; note: string | null } | null;
  /** RET-5's photos, as Shopify files (also stored as ReturnPhoto kind "inspection"); absent on older records. */
  photos?: Array<{ fileId: string; url: string | null }>;
}

export const inspectionOf = (ret: { inspection: unknown }): Inspection | null =>
  (ret.inspection as Inspection | null) ?? null;

export interface ReturnVerdict {
  /** Every line allowed for this reason, under the settings in force now. */
  eligible: boolean;
  lines: Array<LineEligibility & { title: string }>;
  /** The first blocking decision, when a line is blocked (what a decline note says). */
  blockedBy: Decision | null;
}

/**
 * The policy's verdict on the return, computed now with today's settings from the facts
 * stored for the order (delivery by tracking, payments, the line's sale facts), for the
 * moment the shopper asked: staff reviewing it later do not close its window.
 */
export function returnVerdict(ret: ReturnWithFacts, settings: PolicySettings): ReturnVerdict {
  const order = ret.order;
  const delivered = order.events.find((e) => e.kind === "delivered");
  const facts = {
    deliveredAt: delivered?.occurredAt ?? null,
    customerHasAccount: Boolean(order.customerId ?? ret.customerId),
    cancelled: order.cancelledAt !== null,
    payments: (order.payments as unknown as PaymentFact[] | null) ?? [],
  };
  const lines = ret.lines.map((line) => {
    const orderLine = order.lines.find((l) => l.id === line.orderLineId);
    const eligibility = lineReturnEligibility(
      facts,
      {
        lineId: line.orderLineId,
        unitPrice: money(orderLine?.unitPriceCents ?? line.unitPriceCents, ret.currency),
        compareAtPrice: orderLine?.compareAtCents != null ? money(orderLine.compareAtCents, ret.currency) : null,
        productTags: orderLine?.productTags ? orderLine.productTags.split(",").map((t) => t.trim()) : [],
        // The return holds these units: they are what is asked for, not already returned.
        returnableQuantity: line.quantity,
      },
      { requestedAt: ret.requestedAt, reason: ret.reason as ReturnReason, resolution: "refund" },
      settings,
    );
    return { ...eligibility, title: orderLine?.title ?? "Item" };
  });
  const blocked = lines.flatMap((l) => (l.eligible ? [] : l.decisions));
  return { eligible: lines.length > 0 && blocked.length === 0, lines, blockedBy: blocked[0] ?? null };
}

/** Inauthentic by the shopper's claim or by the inspection's outcome (RET-11: everything back, no fee). */
export function isInauthentic(ret: ReturnWithFacts): boolean {
  return ret.reason === "inauthentic" || inspectionOf(ret)?.outcome === "inauthentic";
}

/**
 * RET-5, 7, 8, 11, 13 through app/policy's quoteRefund, with the label fee as it was decided
 * when the return was requested (Shopify fixed it then) rather than as today's settings say;
 * an inauthentic item gets that fee back.
 */
export function refundQuoteOf(ret: ReturnWithFacts, settings: PolicySettings): RefundQuote {
  const currency = ret.currency;
  const inspection = inspectionOf(ret);
  const inauthentic = isInauthentic(ret);
  const quote = quoteRefund(
    {
      reason: inauthentic ? "inauthentic" : (ret.reason as ReturnReason),
      lines: ret.lines.map((line) => ({
        lineId: line.orderLineId,
        quantity: line.quantity,
        unitPrice: money(line.unitPriceCents, currency),
        tax: money(line.taxCents, currency),
      })),
      orderReceivedFreeShipping: ret.feeCents === 0,
      labelsUsed: ret.labels.filter((l) => l.firstScanAt !== null || l.status === "delivered").length,
      shippedByCustomer: ret.labels.length === 0,
      received: ret.receivedAt !== null,
      lostInTransit: ret.status === "lost",
      inspection: !inspection ? "pending" : inspection.outcome === "failed" ? "failed" : "passed",
    },
    { ...settings, currency },
  );
  const claim = CLAIM_REASONS.includes(ret.reason as ReturnReason);
  const fees: Fee[] =
    inauthentic || claim || ret.feeCents === 0
      ? []
      : [
          {
            rule: "RET-7",
            label: `Return label fee (${formatMoney(money(ret.feeCents, currency))}, decided when the return was requested)`,
            amount: money(ret.feeCents, currency),
          },
        ];
  const gross = sum([quote.merchandise, quote.tax], currency);
  const total = max(
    subtract(
      gross,
      sum(
        fees.map((f) => f.amount),
        currency,
      ),
    ),
    zero(currency),
  );
  return { ...quote, fees, total };
}
