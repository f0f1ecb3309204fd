import type { PrismaClient } from "@prisma/client";
import {
  FIX_VARIANTS_MUTATION,
  INVENTORY_FACTS_QUERY,
  PRIMARY_LOCATION_QUERY,
  SET_AVAILABLE_MUTATION,
} from "../graphql/inventory";
import { isOneOfAKind, variantInventoryFindings, type Finding, type PolicySettings } from "../policy";
import type { AdminGateway } from "./admin-gateway.server";

interface VariantNode {
  id: string;
  title: string;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryQuantity: number;
  updatedAt: string;
  inventoryItem: { id: string; tracked: boolean };
  product: { id: string; title: string; tags: string[] };
}

/** Pull every variant's inventory facts through the Admin API (install, "Check again"); newer facts win, as with webhooks. */
export async function refreshInventoryFacts(db: PrismaClient, gateway: AdminGateway): Promise<number> {
  let after: string | null = null;
  let count = 0;
  do {
    const page: {
      productVariants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await gateway.request(INVENTORY_FACTS_QUERY, { after });
    for (const v of page.productVariants.nodes) {
      const data = {
        shop: gateway.shop,
        productId: v.product.id,
        productTags: JSON.stringify(v.product.tags),
        inventoryItemId: v.inventoryItem.id,
        tracked: v.inventoryItem.tracked,
        inventoryPolicy: v.inventoryPolicy,
        available: v.inventoryQuantity,
        shopifyUpdatedAt: new Date(v.updatedAt),
      };
      await db.variantInventory.upsert({ where: { id: v.id }, create: { id: v.id, ...data }, update: data });
      count++;
    }
    after = page.productVariants.pageInfo.hasNextPage ? page.productVariants.pageInfo.endCursor : null;
  } while (after);
  return count;
}

export interface VariantFindings {
  variantId: string;
  productId: string;
  inventoryItemId: string | null;
  available: number;
  findings: Finding[];
}

/** INV-2: one-of-a-kind variants that can be oversold (not tracked, CONTINUE, more than one available). */
export async function auditInventory(
  db: PrismaClient,
  shop: string,
  settings: PolicySettings,
): Promise<VariantFindings[]> {
  const variants = await db.variantInventory.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return variants
    .filter((v) => isOneOfAKind(JSON.parse(v.productTags) as string[], settings.inventory))
    .map((v) => ({
      variantId: v.id,
      productId: v.productId,
      inventoryItemId: v.inventoryItemId,
      available: v.available,
      findings: variantInventoryFindings(
        {
          variantId: v.id,
          tracked: v.tracked,
          inventoryPolicy: v.inventoryPolicy as "DENY" | "CONTINUE",
          available: v.available,
        },
        settings.inventory,
      ),
    }))
    .filter((v) => v.findings.length > 0);
}

interface UserError {
  field: string[] | null;
  message: string;
}

/**
 * The one-click fix: track inventory and never sell when out of stock, per
 * product in one bulk update; then at most the policy's maximum available.
 * Returns Shopify's userErrors as messages (an empty list when all went through).
 */
export async function fixInventory(
  gateway: AdminGateway,
  broken: VariantFindings[],
  settings: PolicySettings,
): Promise<string[]> {
  const messages: string[] = [];
  const byProduct = new Map<string, VariantFindings[]>();
  for (const v of broken) byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), v]);
  for (const [productId, variants] of byProduct) {
    const result: { productVariantsBulkUpdate: { userErrors: UserError[] } } = await gateway.request(
      FIX_VARIANTS_MUTATION,
      {
        productId,
        variants: variants.map((v) => ({ id: v.variantId, inventoryPolicy: "DENY", inventoryItem: { tracked: true } })),
      },
    );
    messages.push(...result.productVariantsBulkUpdate.userErrors.map((e) => `${productId}: ${e.message}`));
  }
  const tooMany = broken.filter((v) => v.available > settings.inventory.maxUnitsPerVariant && v.inventoryItemId);
  if (tooMany.length) {
    const { location } = await gateway.request<{ location: { id: string } }>(PRIMARY_LOCATION_QUERY);
    const result: { inventorySetQuantities: { userErrors: UserError[] } } = await gateway.request(
      SET_AVAILABLE_MUTATION,
      {
        input: {
          name: "available",
          reason: "correction",
          quantities: tooMany.map((v) => ({
            inventoryItemId: v.inventoryItemId,
            locationId: location.id,
            quantity: settings.inventory.maxUnitsPerVariant,
            changeFromQuantity: v.available,
          })),
        },
      },
    );
    messages.push(...result.inventorySetQuantities.userErrors.map((e) => e.message));
  }
  return messages;
}
