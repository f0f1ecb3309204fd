import { randomUUID } from "node:crypto";
import { customerFromProxyRequest, PortalAuthError } from "../../services/portal-auth/portal-customer.server";
import { portalErrorStatus } from "../../services/portal-auth/portal-endpoint.server";
import { PortalError } from "../../services/returns/portal-errors";
import { shopSettings } from "../../services/shops/shops.server";
import { authenticate } from "../../shopify.server";
import { ErrorPage, html, LoginPage, type PageContext } from "./pages";

/** The storefront path Shopify forwarded from (path_prefix), when it is one an app proxy can have. */
function pathPrefix(params: URLSearchParams): string {
  const prefix = params.get("path_prefix") ?? "";
  return /^\/(apps|a|community|tools)\/[\w-]+$/.test(prefix) ? prefix : "/apps/returns";
}

export interface ProxyVisit {
  shop: string;
  customerId: string;
  ctx: PageContext;
  now: Date;
}

/**
 * A page request through the app proxy: the signature and its 90-second timestamp verified by
 * Shopify's helper, the shop installed, and the customer taken from `logged_in_customer_id`
 * only then. Not logged in: the page to log in and come back. Otherwise `render` answers.
 */
export async function proxyPage(request: Request, render: (visit: ProxyVisit) => Promise<Response>): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const fallback: PageContext = { prefix: pathPrefix(params), timeZone: "UTC" };
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const message =
      "This page can only be opened from the store's website. Go back to the store and open Returns again.";
    return html(<ErrorPage message={message} ctx={fallback} back="/" />, thrown.status);
  }
  try {
    const { shop, customerId } = await customerFromProxyRequest(request);
    const ctx = { prefix: fallback.prefix, timeZone: (await shopSettings(shop)).calendar.timeZone };
    if (!customerId) {
      const loginUrl = `/account/login?return_url=${encodeURIComponent(new URL(request.url).pathname)}`;
      return html(<LoginPage loginUrl={loginUrl} />, 401);
    }
    return await render({ shop, customerId, ctx, now: new Date() });
  } catch (error) {
    if (error instanceof PortalAuthError)
      return html(<ErrorPage message={error.message} ctx={fallback} back="/" />, 401);
    if (error instanceof PortalError) {
      return html(<ErrorPage message={error.message} ctx={fallback} />, portalErrorStatus(error.code));
    }
    throw error;
  }
}

/** A fresh key per rendered form: submitting the same form twice asks for one return. */
export const newRequestKey = () => randomUUID();
