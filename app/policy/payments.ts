import { allow, deny, type Decision } from "./rules";
import type { Money } from "./money";

/** How a transaction was paid, as far as the card-only rule (RET-3) cares. */
export type PaymentMethodKind =
  "card" | "paypal" | "installments" | "gift_card" | "store_credit" | "manual" | "cash_on_delivery" | "other";

export type TransactionKind =
  "AUTHORIZATION" | "CAPTURE" | "CHANGE" | "EMV_AUTHORIZATION" | "REFUND" | "SALE" | "SUGGESTED_REFUND" | "VOID";
export type TransactionStatus = "AWAITING_RESPONSE" | "ERROR" | "FAILURE" | "PENDING" | "SUCCESS" | "UNKNOWN";

/** One Shopify OrderTransaction reduced to the facts the policy reads. */
export interface PaymentFact {
  kind: TransactionKind;
  status: TransactionStatus;
  gateway: string;
  method: PaymentMethodKind;
  amount: Money;
}

/** The parts of Shopify's OrderTransaction that tell the payment method. */
export interface TransactionSource {
  gateway: string | null;
  manualPaymentGateway?: boolean | null;
  /** `paymentDetails.__typename` from the Admin API. */
  paymentDetailsType?:
    | "CardPaymentDetails"
    | "PaypalWalletPaymentDetails"
    | "ShopPayInstallmentsPaymentDetails"
    | "LocalPaymentMethodsPaymentDetails"
    | null;
}

const INSTALLMENT_GATEWAYS = [
  "shopify_installments",
  "shop_pay_installments",
  "affirm",
  "klarna",
  "afterpay",
  "sezzle",
  "zip",
  "katapult",
];

/**
 * Shop Pay and other wallets paying with a card (CardPaymentDetails, wallet
 * SHOPIFY_PAY/APPLE_PAY/…) are card payments; Shop Pay Installments is not.
 */
export function classifyPaymentMethod(source: TransactionSource): PaymentMethodKind {
  const gateway = (source.gateway ?? "").toLowerCase();
  switch (source.paymentDetailsType) {
    case "ShopPayInstallmentsPaymentDetails":
      return "installments";
    case "PaypalWalletPaymentDetails":
      return "paypal";
    case "LocalPaymentMethodsPaymentDetails":
      return "other";
    case "CardPaymentDetails":
      return "card";
  }
  if (gateway === "gift_card") return "gift_card";
  if (gateway.includes("store_credit") || gateway === "shop_cash") return "store_credit";
  if (gateway.includes("paypal")) return "paypal";
  if (INSTALLMENT_GATEWAYS.some((name) => gateway.includes(name))) return "installments";
  if (gateway.includes("cash on delivery") || gateway === "cod" || gateway.includes("(cod)")) return "cash_on_delivery";
  if (source.manualPaymentGateway || gateway === "manual") return "manual";
  if (gateway === "shopify_payments" || gateway === "bogus") return "card";
  return "other";
}

const MONEY_IN: readonly TransactionKind[] = ["SALE", "CAPTURE", "AUTHORIZATION"];

/** The methods that actually paid: successful sales, captures and authorizations. */
export function paymentMethodsUsed(payments: readonly PaymentFact[]): Set<PaymentMethodKind> {
  return new Set(payments.filter((p) => p.status === "SUCCESS" && MONEY_IN.includes(p.kind)).map((p) => p.method));
}

const METHOD_NAMES: Record<PaymentMethodKind, string> = {
  card: "a card",
  paypal: "PayPal",
  installments: "installments",
  gift_card: "a gift card",
  store_credit: "store credit",
  manual: "a manual payment",
  cash_on_delivery: "payment on delivery",
  other: "a non-card method",
};

/** RET-3: only orders paid entirely by card can be returned. */
export function cardOnlyDecision(payments: readonly PaymentFact[]): Decision {
  const methods = paymentMethodsUsed(payments);
  if (methods.size === 0) {
    return deny("RET-3", "NOT_PAID", "This order has no completed payment, so it cannot be returned.");
  }
  const nonCard = [...methods].filter((m) => m !== "card");
  if (nonCard.length > 0) {
    return deny(
      "RET-3",
      "NOT_PAID_BY_CARD",
      `Returns are offered only for items paid for by credit card; this order was paid ${methods.size > 1 ? "partly " : ""}with ${nonCard.map((m) => METHOD_NAMES[m]).join(" and ")}.`,
    );
  }
  return allow("RET-3", "PAID_BY_CARD", "Paid by card.");
}

/** TML-6: the order waits for payment on delivery. */
export function awaitsPaymentOnDelivery(payments: readonly PaymentFact[]): boolean {
  const codPending = payments.some((p) => p.method === "cash_on_delivery" && p.status === "PENDING");
  const codPaid = payments.some(
    (p) => p.method === "cash_on_delivery" && p.status === "SUCCESS" && p.kind !== "AUTHORIZATION",
  );
  return codPending && !codPaid;
}
