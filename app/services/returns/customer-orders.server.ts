import { money } from "../../policy";
import type { CustomerOrderSummary } from "./portal-types";
import { factsOf, holdsUnits, portalDb, shopPolicy, type PortalDeps } from "./return-facts.server";
import { optionsFromFacts } from "./return-options.server";

const OPEN = new Set(["requested", "approved", "in_transit", "received", "inspected"]);

/**
 * The customer's recent orders of this shop (the online-store page lists them), each with
 * whether it can still be returned or cancelled, from the facts the app keeps.
 */
export async function customerOrders(
  shop: string,
  customerId: string,
  now: Date,
  deps: PortalDeps & { limit?: number } = {},
): Promise<CustomerOrderSummary[]> {
  const db = portalDb(deps);
  if (!customerId) return [];
  const settings = await shopPolicy(db, shop);
  const orders = await db.order.findMany({
    where: { shop, customerId },
    orderBy: { processedAt: "desc" },
    take: deps.limit ?? 20,
    include: { lines: true, events: true, returns: { include: { lines: true, labels: true } } },
  });
  return orders.map((order) => {
    const facts = factsOf(shop, order, settings);
    const options = optionsFromFacts(facts, now);
    return {
      orderId: order.id,
      name: order.name,
      placedAt: order.processedAt,
      total: money(order.totalCents, order.currency),
      state: order.state,
      deliveredAt: facts.deliveredAt,
      canReturn: options.actions.requestReturn || options.actions.reportProblem,
      canCancel: options.actions.cancel,
      openReturns: order.returns.filter((r) => holdsUnits(r) && OPEN.has(r.status)).length,
    };
  });
}
