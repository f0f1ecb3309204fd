import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderIdFromJson, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { cancelOrder } from "../services/returns/cancel-order.server";
import { authenticate } from "../shopify.server";

// POST {orderId}: cancel the order inside the cancellation window (customer account).
export const action = ({ request }: ActionFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }, now) =>
    cancelOrder(shop, customerId, await orderIdFromJson(request), now),
  );

// The preflight (OPTIONS) reaches the loader; Shopify's helper answers it with CORS.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? portalEndpoint(request, authenticate.public.customerAccount, async () => null)
    : new Response("Method Not Allowed: POST the order to cancel", { status: 405, headers: { Allow: "POST" } });
