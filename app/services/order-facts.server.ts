import type { StoredPayment } from "./order-timeline.server";
import {
  awaitsPaymentOnDelivery,
  classifyPaymentMethod,
  parseDecimal,
  type OrderFacts,
  type PaymentFact,
  type TransactionKind,
  type TransactionSource,
  type TransactionStatus,
} from "../policy";

/** An Admin API OrderTransaction as the documents in app/graphql select it. */
export interface AdminTransaction {
  kind: TransactionKind;
  status: TransactionStatus;
  gateway: string | null;
  manualPaymentGateway: boolean | null;
  amountSet: { shopMoney: { amount: string; currencyCode: string } };
  paymentDetails: { __typename: NonNullable<TransactionSource["paymentDetailsType"]> } | null;
}

export interface AdminFulfillment {
  createdAt: string;
  events: { nodes: Array<{ status: string; happenedAt: string }> };
}

export interface AdminOrder {
  processedAt: string;
  cancelledAt: string | null;
  transactions: AdminTransaction[];
  fulfillments: AdminFulfillment[];
}

export function paymentFacts(transactions: readonly AdminTransaction[]): PaymentFact[] {
  return transactions.map(paymentFact);
}

/** Payment facts as the timeline stores them: with when each transaction happened. */
export function storedPayments(
  transactions: ReadonlyArray<AdminTransaction & { processedAt: string }>,
): StoredPayment[] {
  return transactions.map((t) => ({ ...paymentFact(t), processedAt: t.processedAt }));
}

function paymentFact(t: AdminTransaction): PaymentFact {
  return {
    kind: t.kind,
    status: t.status,
    gateway: t.gateway ?? "",
    method: classifyPaymentMethod({
      gateway: t.gateway,
      manualPaymentGateway: t.manualPaymentGateway,
      paymentDetailsType: t.paymentDetails?.__typename ?? null,
    }),
    amount: parseDecimal(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode),
  };
}

const earliest = (dates: Array<string | undefined>) =>
  dates.filter((d): d is string => Boolean(d)).sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/**
 * The policy's view of an order: shipped at its first fulfillment, delivered at the
 * carrier's delivered event (`happenedAt`), never at the time Shopify was told.
 */
export function orderFacts(order: AdminOrder): OrderFacts {
  const shipped = earliest(order.fulfillments.map((f) => f.createdAt));
  const delivered = earliest(
    order.fulfillments.flatMap((f) => f.events.nodes.filter((e) => e.status === "DELIVERED").map((e) => e.happenedAt)),
  );
  return {
    placedAt: new Date(order.processedAt),
    cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
    shippedAt: shipped ? new Date(shipped) : null,
    deliveredAt: delivered ? new Date(delivered) : null,
    awaitingPaymentOnDelivery: awaitsPaymentOnDelivery(paymentFacts(order.transactions)),
    returnLabelIssuedAt: null,
    wrongItemReportedAt: null,
    refundedAt: null,
  };
}
