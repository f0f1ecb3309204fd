import { money } from "../../app/policy/money";
import type { PaymentFact, PaymentMethodKind } from "../../app/policy/payments";

/** Test data builders shared by the policy tests. */
export const usd = (cents: number) => money(cents, "USD");
export const at = (iso: string) => new Date(iso);

export function payment(method: PaymentMethodKind, cents: number, overrides: Partial<PaymentFact> = {}): PaymentFact {
  return {
    kind: "SALE",
    status: "SUCCESS",
    gateway: method === "card" ? "shopify_payments" : method,
    method,
    amount: usd(cents),
    ...overrides,
  };
}
