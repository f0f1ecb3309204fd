import type { StoredPayment } from "./order-timeline.server";
import {
  classifyPaymentMethod,
  parseDecimal,
  type PaymentFact,
  type TransactionKind,
  type TransactionSource,
  type TransactionStatus,
} from "../../policy";

/** An Admin API OrderTransaction as the order documents select it. */
export interface AdminTransaction {
  kind: TransactionKind;
  status: TransactionStatus;
  gateway: string | null;
  manualPaymentGateway: boolean | null;
  amountSet: { shopMoney: { amount: string; currencyCode: string } };
  paymentDetails: { __typename: NonNullable<TransactionSource["paymentDetailsType"]> } | null;
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
