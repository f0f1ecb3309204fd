/**
 * Calls to the app's return portal backend from the customer account extensions: every call
 * carries `shopify.sessionToken.get()`; answers arrive as the portal's JSON (instants as ISO strings).
 */
import type { Money } from "../../../app/policy/money";
import { minorUnitDigits } from "../../../app/policy/money";

/** The app's URL (shopify.app.toml application_url): extensions call it across origins. */
export const APP_URL = "https://example.com";

/** A portal answer as JSON carries it: Dates become ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends Array<infer Item>
    ? Json<Item>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type PortalAnswer<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

interface Host {
  sessionToken: { get(): Promise<string> };
}

declare const shopify: Host;

/** One call to the backend; a refusal comes back with the backend's sentence for the shopper. */
export async function portalFetch<T>(path: string, init: RequestInit = {}): Promise<PortalAnswer<T>> {
  try {
    const token = await shopify.sessionToken.get();
    const response = await fetch(`${APP_URL}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` },
    });
    const body = await response.json().catch(() => null);
    if (response.ok) return { ok: true, data: body as T };
    return {
      ok: false,
      status: response.status,
      code: body?.error?.code ?? "UNKNOWN",
      message: body?.error?.message ?? "",
    };
  } catch {
    return { ok: false, status: 0, code: "NETWORK", message: "" };
  }
}

/** The order's number, as the full page's URL carries it. */
export const orderNumber = (orderId: string) => orderId.split("/").pop() ?? "";

/** The full-page extension for one order; `path` says what it opens on ("", "claim", "cancel"). */
export const portalPageUrl = (orderId: string, path = "") =>
  `extension:return-portal-page/customer-account.order.page.render/${orderNumber(orderId)}/${path}`;

/** Money in the shopper's locale (the policy counts minor units). */
export function formatMoney(
  i18n: { formatCurrency(amount: number, options?: { currency?: string }): string },
  value: Money,
): string {
  return i18n.formatCurrency(value.amount / 10 ** minorUnitDigits(value.currency), { currency: value.currency });
}
