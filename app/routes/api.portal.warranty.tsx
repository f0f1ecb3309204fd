import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { orderGid, portalEndpoint } from "../services/portal-auth/portal-endpoint.server";
import { fileWarrantyClaim } from "../services/warranty/file-warranty-claim.server";
import { readWarrantyClaimForm } from "../services/warranty/warranty-claim-form.server";
import { warrantyOptions } from "../services/warranty/warranty-options.server";
import { authenticate } from "../shopify.server";

// GET ?orderId=: whether the store takes warranty claims, the items, what can be wrong, the order's claims.
// OPTIONS: the preflight, answered with CORS by Shopify's helper.
export const loader = ({ request }: LoaderFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }) =>
    request.method === "OPTIONS"
      ? null
      : warrantyOptions(shop, customerId, orderGid(new URL(request.url).searchParams.get("orderId"))),
  );

// POST multipart (orderId, claimKey, lineId, issue, note, photos): file a claim; the answer is the rule's decision.
export const action = ({ request }: ActionFunctionArgs) =>
  portalEndpoint(request, authenticate.public.customerAccount, async ({ shop, customerId }, now) => {
    const input = await readWarrantyClaimForm(request);
    return fileWarrantyClaim(shop, customerId, { ...input, orderId: orderGid(input.orderId) }, now);
  });
