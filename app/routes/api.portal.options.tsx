import type { LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { returnOptions } from "../services/returns/return-options.server";
import { authenticate } from "../shopify.server";

// GET ?orderId=: each line's verdicts, the refund previews, the dates that follow, cancellation (customer account).
export const loader = ({ request }: LoaderFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, ({ shop, customerId }, now) =>
    returnOptions(shop, customerId, orderGid(new URL(request.url).searchParams.get("orderId")), now),
  );
