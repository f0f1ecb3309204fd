import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, orderIdFromJson, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { changePaymentMethod, paymentChangeOption } from "../services/returns/change-payment-method.server";
import { authenticate } from "../shopify.server";

// POST {orderId}: cancel the order (inside the window) and answer a cart link to pay another way (CAN-4).
export const action = ({ request }: ActionFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }, now) =>
    changePaymentMethod(shop, customerId, await orderIdFromJson(request), now),
  );

// GET ?orderId=: whether the change is offered now and what it means; the preflight (OPTIONS) gets CORS.
export const loader = ({ request }: LoaderFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }, now) =>
    request.method === "OPTIONS"
      ? null
      : paymentChangeOption(shop, customerId, orderGid(new URL(request.url).searchParams.get("orderId")), now),
  );
