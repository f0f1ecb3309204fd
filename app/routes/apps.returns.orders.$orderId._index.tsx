import type { LoaderFunctionArgs } from "@remix-run/node";
import { orderGid } from "../services/portal-auth/portal-endpoint.server";
import { returnOptions } from "../services/returns/return-options.server";
import { shopSettings } from "../services/shops/shops.server";
import { html, OrderPage } from "./apps.returns._index/pages";
import { newRequestKey, proxyPage } from "./apps.returns._index/proxy.server";

// GET {storefront}/apps/returns/orders/:orderId: verdicts per line, refund preview, the request and cancel forms.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const options = await returnOptions(shop, customerId, orderGid(params.orderId), now);
    const warranty = (await shopSettings(shop)).warranty.enabled;
    return html(<OrderPage options={options} ctx={ctx} requestKey={newRequestKey()} warranty={warranty} />);
  });
