import type { LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { returnStatus } from "../services/returns/return-status.server";
import { authenticate } from "../shopify.server";

// GET ?orderId=: the order's returns, each with its state, label, deadlines and refund (customer account).
export const loader = ({ request }: LoaderFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, ({ shop, customerId }, now) =>
    returnStatus(shop, customerId, orderGid(new URL(request.url).searchParams.get("orderId")), now),
  );
