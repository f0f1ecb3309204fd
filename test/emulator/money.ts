/** Shopify's money shapes from integer cents. */
export function decimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export function moneyV2(cents: number, currencyCode: string) {
  return { amount: decimal(cents), currencyCode };
}

export function moneyBag(cents: number, currencyCode: string) {
  return { shopMoney: moneyV2(cents, currencyCode), presentmentMoney: moneyV2(cents, currencyCode) };
}

/** The REST (webhook) form: snake_case. */
export function restMoneySet(cents: number, currencyCode: string) {
  const money = { amount: decimal(cents), currency_code: currencyCode };
  return { shop_money: money, presentment_money: money };
}

export function cents(decimalText: string): number {
  const [whole = "0", fraction = ""] = decimalText.split(".");
  const sign = whole.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2)));
}
