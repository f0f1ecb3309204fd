import type { ActionFunctionArgs } from "@remix-run/node";
import { orderGid, portalErrorStatus } from "../services/portal-auth/portal-endpoint.server";
import { cancelOrder } from "../services/returns/cancel-order.server";
import { PortalError } from "../services/returns/portal-errors";
import { returnOptions } from "../services/returns/return-options.server";
import { html, OrderCancelledPage, OrderPage } from "./apps.returns._index/pages";
import { newRequestKey, proxyPage } from "./apps.returns._index/proxy.server";

// POST {storefront}/apps/returns/orders/:orderId/cancel: the confirmation, or the order page with why not.
export const action = ({ request, params }: ActionFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const orderId = orderGid(params.orderId);
    try {
      return html(<OrderCancelledPage cancelled={await cancelOrder(shop, customerId, orderId, now)} ctx={ctx} />);
    } catch (error) {
      if (!(error instanceof PortalError) || error.code === "NOT_FOUND") throw error;
      const options = await returnOptions(shop, customerId, orderId, now);
      const page = <OrderPage options={options} ctx={ctx} requestKey={newRequestKey()} error={error.message} />;
      return html(page, portalErrorStatus(error.code));
    }
  });

export const loader = () => new Response("Method Not Allowed: the form posts here", { status: 405 });
