import { WARRANTY_ISSUES, type WarrantyIssue } from "../../policy";
import { loadCustomerOrder, portalDb, shopPolicy, type PortalDeps } from "../returns/return-facts.server";
import { OPEN } from "./file-warranty-claim.server";
import { claimView, type WarrantyClaimView } from "./warranty-claim-record.server";

export interface WarrantyOptions {
  orderId: string;
  orderName: string;
  /** False when the store offers no warranty: the portal shows no claim action. */
  enabled: boolean;
  /** Claims can be filed once the order is delivered. */
  delivered: boolean;
  issues: ReadonlyArray<{ issue: WarrantyIssue; label: string }>;
  /** Each item, and whether a claim on it is open (one at a time per item). */
  lines: Array<{ lineId: string; title: string; openClaim: boolean }>;
  claims: WarrantyClaimView[];
}

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
