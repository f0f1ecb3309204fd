import type { LoaderFunctionArgs } from "@remix-run/node";
import { customerOrders } from "../../services/returns/customer-orders.server";
import { html, OrdersPage } from "./pages";
import { proxyPage } from "./proxy.server";

// GET {storefront}/apps/returns: the logged-in customer's recent orders (app proxy).
export const loader = ({ request }: LoaderFunctionArgs) =>
  proxyPage(request, async ({ shop, customerId, ctx, now }) =>
    html(<OrdersPage orders={await customerOrders(shop, customerId, now)} ctx={ctx} />),
  );
