import { parseDecimal, refundVisibleWindow, type RefundQuote } from "../../policy";
import { recordEvent } from "../orders/order-timeline.server";
import { QueueError } from "./queue-errors";
import { RETURN_CLOSE, RETURN_PROCESS, RETURN_PROCESSING_FACTS, RETURN_STATE_QUERY } from "./queue-documents";
import { ask, decimalAmount, mutate, once, ownReturn, withOrders, type QueueContext } from "./queue-steps.server";
import { refundQuoteOf } from "./queue-verdict";
import { restockLocation } from "./inspect-return.server";
import { recordReturnChange, returnDeadlineKey, setReturnDeadline } from "./return-record.server";

export interface RefundedReturn {
  returnId: string;
  refundId: string;
  amountCents: number;
  currency: string;
  refundedAt: Date;
  /** RET-8: when the refund shows on the shopper's statement. */
  visibleFrom: Date;
  visibleBy: Date;
  repeated: boolean;
}

interface Transaction {
  id: string;
  kind: string;
  status: string;
  amountSet: { shopMoney: { amount: string; currencyCode: string } };
  parentTransaction: { id: string } | null;
}

interface ShopifyRefund {
  id: string;
  createdAt: string;
  totalRefundedSet: { shopMoney: { amount: string; currencyCode: string } };
}

interface Facts {
  return: {
    status: string;
    returnLineItems: { nodes: Array<{ id: string; processableQuantity: number }> };
    refunds: { nodes: ShopifyRefund[] };
    order: { transactions: Transaction[] };
  } | null;
}

interface RefundResult {
  refundId: string;
  refundedAt: string;
  amountCents: number;
  status: string;
}

/**
 * RET-8: the refund goes to the original card: each successful SALE/CAPTURE, as much as it
 * can still take back, oldest first.
 */
export function cardTransfers(transactions: readonly Transaction[], totalCents: number, currency: string) {
  const refunded = new Map<string, number>();
  for (const t of transactions)
    if (t.kind === "REFUND" && t.status === "SUCCESS" && t.parentTransaction)
      refunded.set(
        t.parentTransaction.id,
        (refunded.get(t.parentTransaction.id) ?? 0) + parseDecimal(t.amountSet.shopMoney.amount, currency).amount,
      );
  let left = totalCents;
  const transfers: Array<{ parentId: string; transactionAmount: { amount: string; currencyCode: string } }> = [];
  for (const t of transactions) {
    if (left <= 0) break;
    if (t.status !== "SUCCESS" || (t.kind !== "SALE" && t.kind !== "CAPTURE")) continue;
    const refundable = parseDecimal(t.amountSet.shopMoney.amount, currency).amount - (refunded.get(t.id) ?? 0);
    const take = Math.min(refundable, left);
    if (take <= 0) continue;
    transfers.push({ parentId: t.id, transactionAmount: { amount: decimalAmount(take), currencyCode: currency } });
    left -= take;
  }
  return { transfers, uncovered: left };
}

/** The quote staff confirm, with whether the policy allows the refund now (RET-5, 8, 13). */
export async function refundQuote(ctx: QueueContext, returnId: string): Promise<RefundQuote> {
  return refundQuoteOf(await ownReturn(ctx.db, ctx.gateway.shop, returnId), ctx.settings);
}

const asResult = (refund: ShopifyRefund, status: string, currency: string): RefundResult => ({
  refundId: refund.id,
  refundedAt: refund.createdAt,
  amountCents: parseDecimal(refund.totalRefundedSet.shopMoney.amount, currency).amount,
  status,
});

/**
 * Refund a return that was received and passed inspection (or was proven inauthentic):
 * returnProcess with the quote's amount to the original card transaction, shipping never
 * refunded (no refundShipping), the RET-7 fee as decided at request time; then returnClose.
 * `confirmedCents` is the total staff saw: a quote that changed since must be confirmed again.
 */
export async function refundReturn(
  ctx: QueueContext,
  returnId: string,
  confirmedCents: number,
): Promise<RefundedReturn> {
  const shop = ctx.gateway.shop;
  const ret = await ownReturn(ctx.db, shop, returnId);
  const currency = ret.currency;
  const window = (at: Date) => refundVisibleWindow(at, ctx.settings);
  if (ret.refundedAt && ret.refundCents !== null) {
    const { from, by } = window(ret.refundedAt);
    const refundId = ret.order.events.find((e) => e.kind === "refunded")?.ref ?? "";
    return {
      returnId,
      refundId,
      amountCents: ret.refundCents,
      currency,
      refundedAt: ret.refundedAt,
      visibleFrom: from,
      visibleBy: by,
      repeated: true,
    };
  }
  if (["declined", "cancelled", "rejected"].includes(ret.status))
    throw new QueueError("INVALID_STATE", `This return is ${ret.status}: it is not refunded.`);
  const quote = refundQuoteOf(ret, ctx.settings);
  if (!quote.decision.allowed || ret.status !== "inspected")
    throw new QueueError("NOT_ALLOWED", `No refund yet: ${quote.decision.message}`, quote.decision.rule);
  if (quote.total.amount !== confirmedCents)
    throw new QueueError(
      "QUOTE_CHANGED",
      `The refund is now ${decimalAmount(quote.total.amount)} ${currency}, not ${decimalAmount(confirmedCents)}: check the quote and confirm again.`,
    );

  const locationId = await restockLocation(ctx);
  const facts = await ask<Facts>(ctx.gateway, RETURN_PROCESSING_FACTS, { id: returnId, locationId }, "read the return");
  if (!facts.return) throw new QueueError("SHOPIFY_USER_ERROR", "Shopify no longer has this return.");
  const already = facts.return.refunds.nodes[0];
  const result = already
    ? asResult(already, facts.return.status, currency)
    : await once(
        ctx.db,
        shop,
        `refund:${returnId}`,
        ctx.now,
        async () => {
          const { transfers, uncovered } = cardTransfers(
            facts.return!.order.transactions,
            quote.total.amount,
            currency,
          );
          if (uncovered > 0)
            throw new QueueError(
              "NOT_ALLOWED",
              `The original card payment cannot take back ${decimalAmount(quote.total.amount)} ${currency}; refund it in Shopify.`,
              "RET-8",
            );
          const payload = await mutate<{
            return: { status: string; refunds: { nodes: ShopifyRefund[] } } | null;
            userErrors: [];
          }>(
            ctx.gateway,
            RETURN_PROCESS,
            {
              input: {
                returnId,
                returnLineItems: facts
                  .return!.returnLineItems.nodes.filter((l) => l.processableQuantity > 0)
                  .map((l) => ({ id: l.id, quantity: l.processableQuantity })),
                financialTransfer: { issueRefund: { orderTransactions: transfers } },
                notifyCustomer: true,
              },
            },
            "returnProcess",
            "refund the return",
          );
          const refund = payload.return?.refunds.nodes.at(-1);
          if (!refund)
            throw new QueueError("SHOPIFY_UNAVAILABLE", "Shopify processed the return but shows no refund. Reload.");
          return asResult(refund, payload.return!.status, currency);
        },
        async () => {
          const data = await ask<{ return: { status: string; refunds: { nodes: ShopifyRefund[] } } | null }>(
            ctx.gateway,
            RETURN_STATE_QUERY,
            { id: returnId },
            "read the return",
          );
          const refund = data.return?.refunds.nodes[0];
          return refund ? asResult(refund, data.return!.status, currency) : null;
        },
      );

  const refundedAt = new Date(result.refundedAt);
  let closedAt = refundedAt;
  if (result.status === "OPEN") {
    const closed = await once(ctx.db, shop, `close:${returnId}`, ctx.now, async () => {
      const payload = await mutate<{ return: { closedAt: string | null } | null; userErrors: [] }>(
        ctx.gateway,
        RETURN_CLOSE,
        { id: returnId },
        "returnClose",
        "close the return",
      );
      return { closedAt: payload.return?.closedAt ?? ctx.now.toISOString() };
    });
    closedAt = new Date(closed.closedAt);
  }
  const { from, by } = window(refundedAt);
  await withOrders(ctx.db, shop, ctx.now, async (orders) => {
    await recordReturnChange(orders, {
      shop,
      returnId,
      status: "refunded",
      kind: null,
      at: refundedAt,
      source: "app",
      data: { refundCents: result.amountCents, refundedAt },
    });
    // The same entry the refunds/create webhook makes (keyed by Shopify's refund): recorded once.
    await recordEvent(orders, ret.orderId, "refunded", result.refundId, refundedAt, "app");
    await setReturnDeadline(orders, ret.orderId, returnDeadlineKey("refund_visible", returnId), "RET-8", by);
    await recordReturnChange(orders, {
      shop,
      returnId,
      status: "closed",
      kind: "return_closed",
      at: closedAt,
      source: "app",
      data: { closedAt },
    });
  });
  return {
    returnId,
    refundId: result.refundId,
    amountCents: result.amountCents,
    currency,
    refundedAt,
    visibleFrom: from,
    visibleBy: by,
    repeated: false,
  };
}
