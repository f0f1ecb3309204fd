/** Money is an integer count of the currency's minor units (cents for USD), never a float. */
export interface Money {
  amount: number;
  currency: string;
}

export class MoneyError extends Error {
  override name = "MoneyError";
}

/** ISO 4217 currencies whose minor unit is not the cent. */
const MINOR_UNIT_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  HUF: 2,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function minorUnitDigits(currency: string): number {
  return MINOR_UNIT_DIGITS[currency] ?? 2;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyError(`Money must be a whole number of minor units, got ${amount} ${currency}`);
  }
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new MoneyError(`Currency must be a three-letter ISO 4217 code, got "${currency}"`);
  }
  return { amount, currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(`Cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiply(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new MoneyError(`Factor must be a whole number, got ${factor}`);
  return money(a.amount * factor, a.currency);
}

export function sum(items: readonly Money[], currency: string): Money {
  return items.reduce((total, item) => add(total, item), zero(currency));
}

export function compare(a: Money, b: Money): number {
  sameCurrency(a, b);
  return Math.sign(a.amount - b.amount);
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

/**
 * Decimal text such as "500.00" parsed to minor units without floating point.
 * Shopify's Admin API and webhooks send money as decimal strings.
 */
export function parseDecimal(text: string, currency: string): Money {
  const digits = minorUnitDigits(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new MoneyError(`"${text}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    throw new MoneyError(`"${text}" has more precision than ${currency} allows`);
  }
  const minor = Number(whole) * 10 ** digits + Number(fraction.slice(0, digits).padEnd(digits, "0") || "0");
  return money(sign ? -minor : minor, currency);
}

const SYMBOLS: Record<string, string> = { USD: "$", CAD: "CA$", AUD: "A$", EUR: "€", GBP: "£", JPY: "¥", HKD: "HK$" };

/** "$500.00". Deliberately without Intl so the same code runs inside Shopify Functions. */
export function formatMoney(value: Money): string {
  const digits = minorUnitDigits(value.currency);
  const negative = value.amount < 0;
  const abs = Math.abs(value.amount);
  const whole = Math.floor(abs / 10 ** digits)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = digits > 0 ? "." + (abs % 10 ** digits).toString().padStart(digits, "0") : "";
  const symbol = SYMBOLS[value.currency];
  const body = symbol ? `${symbol}${whole}${fraction}` : `${whole}${fraction} ${value.currency}`;
  return negative ? `-${body}` : body;
}
