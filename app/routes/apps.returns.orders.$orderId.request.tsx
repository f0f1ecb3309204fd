import type { ActionFunctionArgs } from "@remix-run/node";
import { closingAfter, orderGid, portalErrorStatus } from "../services/portal-auth/portal-endpoint.server";
import { readReturnRequestForm } from "../services/portal-auth/return-request-form.server";
import { PortalError } from "../services/returns/portal-errors";
import { requestReturn } from "../services/returns/request-return.server";
import { returnOptions } from "../services/returns/return-options.server";
import { html, OrderPage, ReturnRequestedPage } from "./apps.returns._index/pages";
import { newRequestKey, proxyPage } from "./apps.returns._index/proxy.server";
import { labelIssuer } from "../services/labels/issue-label.server";

// POST {storefront}/apps/returns/orders/:orderId/request (multipart form): the confirmation, or the form again with why.
export const action = ({ request, params }: ActionFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) => {
    const orderId = orderGid(params.orderId);
    try {
      const input = await readReturnRequestForm(request);
      const requested = await requestReturn(shop, customerId, { ...input, orderId }, now, {
        issueLabel: labelIssuer(),
      });
      return html(<ReturnRequestedPage requested={requested} ctx={ctx} />);
    } catch (error) {
      if (!(error instanceof PortalError) || error.code === "NOT_FOUND") throw error;
      const options = await returnOptions(shop, customerId, orderId, now);
      const page = <OrderPage options={options} ctx={ctx} requestKey={newRequestKey()} error={error.message} />;
      return closingAfter(request, html(page, portalErrorStatus(error.code)));
    }
  });

export const loader = () => new Response("Method Not Allowed: the form posts here", { status: 405 });
