import { WARRANTY_ISSUES } from "../../policy";
import { loadCustomerOrder, portalDb, shopPolicy, type PortalDeps } from "../returns/return-facts.server";
import { OPEN } from "./file-warranty-claim.server";
import { claimView } from "./warranty-claim-record.server";
import type { WarrantyOptions } from "./warranty-types";

/** What the portal needs to offer a warranty claim on one of this customer's orders (NOT_FOUND otherwise). */
export async function warrantyOptions(
  shop: string,
  customerId: string,
  orderId: string,
  deps: PortalDeps = {},
): Promise<WarrantyOptions> {
  const db = portalDb(deps);
  const [settings, order] = await Promise.all([shopPolicy(db, shop), loadCustomerOrder(db, shop, customerId, orderId)]);
  const claims = await db.warrantyClaim.findMany({ where: { shop, orderId: order.id }, orderBy: { filedAt: "asc" } });
  return {
    orderId: order.id,
    orderName: order.name,
    enabled: settings.warranty.enabled,
    delivered: order.events.some((e) => e.kind === "delivered"),
    issues: WARRANTY_ISSUES,
    lines: order.lines.map((line) => ({
      lineId: line.id,
      title: line.title,
      openClaim: claims.some((c) => c.orderLineId === line.id && c.status === OPEN),
    })),
    claims: claims.map(claimView),
  };
}
