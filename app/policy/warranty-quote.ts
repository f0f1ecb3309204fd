import { formatMoney, minorUnitDigits, type Money } from "./money";

/** Why a repair quote (WAR-5) cannot be sent as it stands, or null when it can. */
export function repairQuoteProblem(quote: Money, orderCurrency: string): string | null {
  if (!Number.isSafeInteger(quote.amount) || quote.amount <= 0)
    return "Enter the repair price, more than zero, in the order's currency.";
  if (quote.currency !== orderCurrency)
    return `Quote the repair in ${orderCurrency}, the currency the order was paid in (not ${quote.currency}).`;
  if (quote.amount > 100_000_000)
    return `${formatMoney(quote)} is more than a repair can be quoted at; check the price.`;
  return null;
}

/** Minor units as Shopify's Decimal input ("85.00", "1200" for JPY). */
export function decimalAmount(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  const text = String(Math.abs(value.amount)).padStart(digits + 1, "0");
  const body = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return value.amount < 0 ? `-${body}` : body;
}
