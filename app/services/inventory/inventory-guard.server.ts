import type { Prisma, PrismaClient } from "@prisma/client";
import {
  FIX_VARIANTS_MUTATION,
  INVENTORY_FACTS_QUERY,
  PRIMARY_LOCATION_QUERY,
  SET_AVAILABLE_MUTATION,
  VARIANT_COUNT_QUERY,
} from "./inventory-documents";
import { isOneOfAKind, variantInventoryFindings, type Finding, type PolicySettings } from "../../policy";
import type { AdminGateway } from "../shopify/admin-gateway.server";

interface VariantNode {
  id: string;
  title: string;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryQuantity: number;
  updatedAt: string;
  inventoryItem: { id: string; tracked: boolean };
  product: {
    id: string;
    title: string;
    tags: string[];
    featuredMedia: { preview: { image: { url: string } | null } | null } | null;
  };
}

/**
 * Pull every variant's inventory facts through the Admin API, with the product
 * and variant titles and the product's featured image; newer facts win, as with
 * webhooks. `onPage` hears how many variants have been read after each page.
 */
export async function refreshInventoryFacts(
  db: PrismaClient,
  gateway: AdminGateway,
  onPage?: (checked: number) => Promise<void>,
): Promise<number> {
  let after: string | null = null;
  let count = 0;
  do {
    const page: {
      productVariants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await gateway.request(INVENTORY_FACTS_QUERY, { after });
    // One transaction per page: a page's rows are written together, not committed one by one.
    await db.$transaction(
      page.productVariants.nodes.map((v) => {
        const data = {
          shop: gateway.shop,
          productId: v.product.id,
          productTags: JSON.stringify(v.product.tags),
          productTitle: v.product.title,
          variantTitle: v.title,
          imageUrl: v.product.featuredMedia?.preview?.image?.url ?? null,
          inventoryItemId: v.inventoryItem.id,
          tracked: v.inventoryItem.tracked,
          inventoryPolicy: v.inventoryPolicy,
          available: v.inventoryQuantity,
          shopifyUpdatedAt: new Date(v.updatedAt),
        };
        return db.variantInventory.upsert({ where: { id: v.id }, create: { id: v.id, ...data }, update: data });
      }),
    );
    count += page.productVariants.nodes.length;
    await onPage?.(count);
    after = page.productVariants.pageInfo.hasNextPage ? page.productVariants.pageInfo.endCursor : null;
  } while (after);
  return count;
}

/** A running audit that has made no progress for this long has stopped (its process ended). */
export const STALE_AUDIT_MS = 10 * 60_000;

const STOPPED_MESSAGE = "The check stopped before it finished.";

/** Where the shop's full inventory audit stands; "safe" can only be said after one has completed. */
export type InventoryAuditState =
  | { status: "not_checked" }
  | { status: "running"; checked: number; total: number | null; startedAt: Date; lastCompletedAt: Date | null }
  | { status: "done"; checked: number; completedAt: Date }
  | { status: "failed"; message: string; failedAt: Date; lastCompletedAt: Date | null };

export async function inventoryAuditState(
  db: PrismaClient,
  shop: string,
  now = new Date(),
): Promise<InventoryAuditState> {
  const audit = await db.inventoryAudit.findUnique({ where: { shop } });
  if (!audit) return { status: "not_checked" };
  const lastCompletedAt = audit.lastCompletedAt;
  if (audit.status === "running") {
    if (now.getTime() - audit.progressAt.getTime() > STALE_AUDIT_MS)
      return { status: "failed", message: STOPPED_MESSAGE, failedAt: audit.progressAt, lastCompletedAt };
    return {
      status: "running",
      checked: audit.checked,
      total: audit.total,
      startedAt: audit.startedAt,
      lastCompletedAt,
    };
  }
  if (audit.status === "done" && lastCompletedAt)
    return { status: "done", checked: audit.checked, completedAt: lastCompletedAt };
  return {
    status: "failed",
    message: audit.error ?? STOPPED_MESSAGE,
    failedAt: audit.finishedAt ?? audit.progressAt,
    lastCompletedAt,
  };
}

/** One claimed audit: its updates only apply while no later audit has taken over. */
export interface InventoryAuditRun {
  shop: string;
  startedAt: Date;
}

/**
 * Record that an audit of the shop is running, unless one already is (and is
 * still making progress). Returns the claimed run, or null when another holds it.
 */
export async function beginInventoryAudit(
  db: PrismaClient,
  shop: string,
  now = new Date(),
): Promise<InventoryAuditRun | null> {
  const running = { status: "running", startedAt: now, progressAt: now, checked: 0, total: null, finishedAt: null };
  const taken = await db.inventoryAudit.updateMany({
    where: {
      shop,
      OR: [{ status: { not: "running" } }, { progressAt: { lt: new Date(now.getTime() - STALE_AUDIT_MS) } }],
    },
    data: { ...running, error: null },
  });
  if (taken.count > 0) return { shop, startedAt: now };
  if (await db.inventoryAudit.findUnique({ where: { shop }, select: { shop: true } })) return null;
  try {
    await db.inventoryAudit.create({ data: { shop, ...running } });
    return { shop, startedAt: now };
  } catch (error) {
    // Another process created the row first: its audit is the one running.
    if (await db.inventoryAudit.findUnique({ where: { shop }, select: { shop: true } })) return null;
    throw error;
  }
}

class AuditSuperseded extends Error {}

/**
 * Read every variant through the Admin API for a claimed run, recording progress
 * after each page, and end it as done, or failed with the reason. Never throws
 * for a failed read: the failure is the audit's recorded outcome.
 */
export async function completeInventoryAudit(
  db: PrismaClient,
  gateway: AdminGateway,
  run: InventoryAuditRun,
  clock: () => Date = () => new Date(),
): Promise<InventoryAuditState> {
  if (run.shop !== gateway.shop) throw new Error(`audit of ${run.shop} cannot read ${gateway.shop}`);
  const record = async (data: Prisma.InventoryAuditUpdateManyMutationInput) => {
    const { count } = await db.inventoryAudit.updateMany({ where: { shop: run.shop, startedAt: run.startedAt }, data });
    if (count === 0) throw new AuditSuperseded();
  };
  try {
    const { productVariantsCount } = await gateway.request<{ productVariantsCount: { count: number } | null }>(
      VARIANT_COUNT_QUERY,
    );
    await record({ total: productVariantsCount?.count ?? null, progressAt: clock() });
    const checked = await refreshInventoryFacts(db, gateway, (checked) => record({ checked, progressAt: clock() }));
    const at = clock();
    await record({ status: "done", checked, progressAt: at, finishedAt: at, lastCompletedAt: at });
  } catch (error) {
    if (!(error instanceof AuditSuperseded)) await failInventoryAudit(db, run, error as Error, clock());
  }
  return inventoryAuditState(db, run.shop, clock());
}

/** End a claimed run as failed, with the reason the page shows (unless a later audit has taken over). */
export async function failInventoryAudit(
  db: PrismaClient,
  run: InventoryAuditRun,
  error: Error,
  at = new Date(),
): Promise<void> {
  await db.inventoryAudit.updateMany({
    where: { shop: run.shop, startedAt: run.startedAt },
    data: { status: "failed", error: error.message, progressAt: at, finishedAt: at },
  });
}

/** Claim and run a full audit (install, "Check again"); when one is already running, its state. */
export async function runInventoryAudit(
  db: PrismaClient,
  gateway: AdminGateway,
  clock: () => Date = () => new Date(),
): Promise<InventoryAuditState> {
  const run = await beginInventoryAudit(db, gateway.shop, clock());
  if (!run) return inventoryAuditState(db, gateway.shop, clock());
  return completeInventoryAudit(db, gateway, run, clock);
}

/**
 * Claim an audit and let it run in the background ("Check again", after a fix):
 * the page follows its recorded progress. False when one is already running.
 */
export async function startInventoryAudit(db: PrismaClient, gateway: AdminGateway): Promise<boolean> {
  const run = await beginInventoryAudit(db, gateway.shop);
  if (!run) return false;
  void completeInventoryAudit(db, gateway, run).catch((error) =>
    console.error(`inventory audit for ${gateway.shop} did not finish:`, error),
  );
  return true;
}

/**
 * The product's page in the Shopify admin, as App Bridge opens it from inside
 * the embedded app (the `shopify:` protocol of its Navigation API): no store
 * handle needed, and the admin navigates itself rather than the app's iframe.
 */
export function productAdminUrl(productId: string): string {
  const numeric = /^gid:\/\/shopify\/Product\/(\d+)$/.exec(productId)?.[1];
  if (!numeric) throw new Error(`not a Shopify product id: ${productId}`);
  return `shopify://admin/products/${numeric}`;
}

export interface VariantFindings {
  variantId: string;
  productId: string;
  productTitle: string | null;
  variantTitle: string | null;
  imageUrl: string | null;
  productAdminUrl: string;
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
      productTitle: v.productTitle,
      variantTitle: v.variantTitle,
      imageUrl: v.imageUrl,
      productAdminUrl: productAdminUrl(v.productId),
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

/** The audit's state as the page shows it, times in the shop's time zone. */
export type InventoryAuditView =
  | { status: "not_checked" }
  | { status: "running"; checked: number; total: number | null; lastCompletedAt: string | null }
  | { status: "done"; checked: number; completedAt: string }
  | { status: "failed"; message: string; failedAt: string; lastCompletedAt: string | null };

export interface InventoryFindingView {
  variantId: string;
  productTitle: string;
  /** Left out for a product's only, default variant ("Default Title"), as Shopify's admin does. */
  variantTitle: string | null;
  imageUrl: string | null;
  productAdminUrl: string;
  available: number;
  problems: Finding[];
}

export interface InventoryGuardView {
  audit: InventoryAuditView;
  findings: InventoryFindingView[];
}

/** What the inventory guard page shows: the audit's state and the variants that break INV-2. */
export async function loadInventoryGuard(
  db: PrismaClient,
  shop: string,
  settings: PolicySettings,
  now = new Date(),
): Promise<InventoryGuardView> {
  const [state, broken] = await Promise.all([inventoryAuditState(db, shop, now), auditInventory(db, shop, settings)]);
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: settings.calendar.timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  const time = (date: Date | null) => (date ? format.format(date) : null);
  const audit: InventoryAuditView =
    state.status === "not_checked"
      ? state
      : state.status === "running"
        ? {
            status: "running",
            checked: state.checked,
            total: state.total,
            lastCompletedAt: time(state.lastCompletedAt),
          }
        : state.status === "done"
          ? { status: "done", checked: state.checked, completedAt: format.format(state.completedAt) }
          : {
              status: "failed",
              message: state.message,
              failedAt: format.format(state.failedAt),
              lastCompletedAt: time(state.lastCompletedAt),
            };
  return {
    audit,
    findings: broken.map((v) => ({
      variantId: v.variantId,
      productTitle: v.productTitle ?? `Product ${v.productId.split("/").pop()}`,
      variantTitle: v.variantTitle && v.variantTitle !== "Default Title" ? v.variantTitle : null,
      imageUrl: v.imageUrl,
      productAdminUrl: v.productAdminUrl,
      available: v.available,
      problems: v.findings,
    })),
  };
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
    const title = variants[0]?.productTitle ?? productId;
    messages.push(...result.productVariantsBulkUpdate.userErrors.map((e) => `${title}: ${e.message}`));
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
