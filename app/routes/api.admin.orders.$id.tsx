import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { orderGid, orderPolicyView } from "../services/orders/order-policy-view.server";
import { gatewayFor } from "../services/shopify/admin-gateway.server";
import { shopSettings } from "../services/shops/shops.server";
import { authenticate } from "../shopify.server";

const error = (status: number, message: string) => Response.json({ error: message }, { status });

/**
 * The order-details block's data (extensions/order-policy-admin). Shopify's admin adds the
 * ID token as a Bearer header to the extension's fetch; authenticate.admin verifies it
 * (signature, audience, expiry) and names the shop. The order is looked up in that shop only.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  // Without a token this is no admin extension's request: refuse it rather than start an auth redirect.
  if (!/^Bearer \S+$/.test(request.headers.get("authorization") ?? ""))
    return error(401, "Send the admin's ID token as Authorization: Bearer <token>.");
  const { session, cors } = await authenticate.admin(request);
  const id = orderGid(params.id ?? "");
  if (!id) return cors(error(400, `"${params.id}" is not an order id: expected a number or gid://shopify/Order/….`));
  const result = await orderPolicyView(
    prisma,
    await gatewayFor(session.shop),
    session.shop,
    id,
    await shopSettings(session.shop),
    new Date(),
  );
  if (result.status === "not_found") return cors(error(404, "This shop has no such order."));
  return cors(Response.json(result));
};

/** Only the CORS preflight, which authenticate.admin answers; the block only reads. */
export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.admin(request);
  return error(405, "The order block only reads: use GET.");
};
