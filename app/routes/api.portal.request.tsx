import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { readReturnRequestForm } from "../services/portal-auth/return-request-form.server";
import { requestReturn } from "../services/returns/request-return.server";
import { authenticate } from "../shopify.server";
import { labelIssuer } from "../services/labels/issue-label.server";

// POST multipart (orderId, requestKey, reason, note, lines, photos): request a return or claim (customer account).
export const action = ({ request }: ActionFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }, now) => {
    const input = await readReturnRequestForm(request);
    return requestReturn(shop, customerId, { ...input, orderId: orderGid(input.orderId) }, now, {
      issueLabel: labelIssuer(),
    });
  });

// The preflight (OPTIONS) reaches the loader; Shopify's helper answers it with CORS.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? portalEndpoint(request, authenticate.public.customerAccount, async () => null)
    : new Response("Method Not Allowed: POST a return request", { status: 405, headers: { Allow: "POST" } });
