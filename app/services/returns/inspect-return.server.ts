import type { Prisma } from "@prisma/client";
import { checkInspectionPhotos, uploadInspectionPhotos } from "./inspect-photos.server";
import type { ReturnPhotoUpload } from "./portal-types";
import { QueueError } from "./queue-errors";
import { RESTOCK_LOCATION, RETURN_PROCESSING_FACTS, REVERSE_FULFILLMENT_ORDER_DISPOSE } from "./queue-documents";
import { ask, mutate, once, ownReturn, withOrders, type QueueContext } from "./queue-steps.server";
import { inspectionOf, type Inspection } from "./queue-verdict";
import { recordReturnChange } from "./return-record.server";

/** RET-5's checklist, and RET-11's separate finding: proven inauthentic by a verified authenticator. */
export interface InspectionInput {
  asDescribed: boolean;
  originalPackaging: boolean;
  allTags: boolean;
  authentic: boolean;
  provenInauthentic: boolean;
  note?: string | null;
  /** Staff's photos of the item as received (RET-5), stored as Shopify files beside the claim photos. */
  photos?: readonly ReturnPhotoUpload[];
}

export interface InspectedReturn {
  returnId: string;
  inspection: Inspection;
  repeated: boolean;
}

interface FactsLine {
  id: string;
  totalQuantity: number;
  dispositions: Array<{ quantity: number }>;
  fulfillmentLineItem: {
    lineItem: {
      variant: {
        inventoryItem: {
          tracked: boolean;
          inventoryLevel: { quantities: Array<{ name: string; quantity: number }> } | null;
        };
      } | null;
    };
  } | null;
}

interface ProcessingFacts {
  return: { reverseFulfillmentOrders: { nodes: Array<{ lineItems: { nodes: FactsLine[] } }> } } | null;
}

export function inspectionOutcome(input: InspectionInput): Inspection["outcome"] {
  if (input.provenInauthentic) return "inauthentic";
  return input.asDescribed && input.originalPackaging && input.allTags && input.authentic ? "passed" : "failed";
}

/** The shop's location a passed item is restocked at. */
export async function restockLocation(ctx: QueueContext): Promise<string> {
  const data = await ask<{ locations: { nodes: Array<{ id: string }> } }>(
    ctx.gateway,
    RESTOCK_LOCATION,
    {},
    "find the store's location",
  );
  const location = data.locations.nodes[0];
  if (!location) throw new QueueError("SHOPIFY_USER_ERROR", "The store has no active location to restock the item at.");
  return location.id;
}

const remaining = (line: FactsLine) => line.totalQuantity - line.dispositions.reduce((s, d) => s + d.quantity, 0);

/**
 * INV-2: a passed item goes back on sale with exactly one available. Each reverse
 * fulfillment line still to dispose is RESTOCKED at the location up to one available,
 * and anything beyond that NOT_RESTOCKED; once only, so a retry does not add stock twice.
 */
async function restock(ctx: QueueContext, returnId: string): Promise<{ restocked: number; note: string | null }> {
  const locationId = await restockLocation(ctx);
  const read = () =>
    ask<ProcessingFacts>(ctx.gateway, RETURN_PROCESSING_FACTS, { id: returnId, locationId }, "read the return's items");
  const facts = await read();
  const lines = facts.return?.reverseFulfillmentOrders.nodes.flatMap((rfo) => rfo.lineItems.nodes) ?? [];
  if (!lines.length)
    throw new QueueError("SHOPIFY_USER_ERROR", "Shopify has no reverse fulfillment for this return: approve it first.");
  let restocked = 0;
  let kept = 0;
  const dispositionInputs = lines.flatMap((line) => {
    const left = remaining(line);
    if (left <= 0) return [];
    const item = line.fulfillmentLineItem?.lineItem.variant?.inventoryItem;
    const available = item?.inventoryLevel?.quantities.find((q) => q.name === "available")?.quantity ?? 0;
    const back = item?.tracked === false ? left : Math.min(left, Math.max(0, 1 - available));
    restocked += back;
    kept += left - back;
    return [
      ...(back > 0
        ? [{ reverseFulfillmentOrderLineItemId: line.id, quantity: back, dispositionType: "RESTOCKED", locationId }]
        : []),
      ...(left - back > 0
        ? [{ reverseFulfillmentOrderLineItemId: line.id, quantity: left - back, dispositionType: "NOT_RESTOCKED" }]
        : []),
    ];
  });
  const outcome = {
    restocked,
    note: kept ? `${kept} unit(s) not restocked: the item already has 1 available (INV-2).` : null,
  };
  if (!dispositionInputs.length) return { restocked: 0, note: "Shopify had already restocked the item." };
  return once(
    ctx.db,
    ctx.gateway.shop,
    `dispose:${returnId}`,
    ctx.now,
    async () => {
      await mutate(
        ctx.gateway,
        REVERSE_FULFILLMENT_ORDER_DISPOSE,
        { dispositionInputs },
        "reverseFulfillmentOrderDispose",
        "restock the item",
      );
      return outcome;
    },
    async () => {
      const again = await read();
      const left = again.return?.reverseFulfillmentOrders.nodes
        .flatMap((r) => r.lineItems.nodes)
        .some((l) => remaining(l) > 0);
      return left ? null : outcome;
    },
  );
}

/**
 * RET-5: the received item checked (condition as described, original packaging, all tags,
 * authenticity), with a note. Passed: restocked at the shop's location with exactly one
 * available (INV-2) and refundable. Failed: kept out of stock and not refunded. Proven
 * inauthentic (RET-11): an outcome of its own, refunded in full and never restocked.
 */
export async function inspectReturn(
  ctx: QueueContext,
  returnId: string,
  input: InspectionInput,
): Promise<InspectedReturn> {
  const shop = ctx.gateway.shop;
  const photos = input.photos ?? [];
  checkInspectionPhotos(photos);
  const ret = await ownReturn(ctx.db, shop, returnId);
  const outcome = inspectionOutcome(input);
  const known = inspectionOf(ret);
  if (known) {
    if (known.outcome !== outcome)
      throw new QueueError("INVALID_STATE", `This return was inspected already (${known.outcome}).`);
    return { returnId, inspection: known, repeated: true };
  }
  if (ret.status !== "received")
    throw new QueueError(
      "INVALID_STATE",
      `This return is ${ret.status.replace("_", " ")}: receive the package before inspecting it.`,
      "RET-5",
    );
  if (input.provenInauthentic && input.authentic)
    throw new QueueError("BAD_REQUEST", "An item cannot be both verified authentic and proven inauthentic.");
  const note = input.note?.trim() || null;
  const stored = await uploadInspectionPhotos(ctx, returnId, photos);
  const inspection: Inspection = {
    checklist: {
      asDescribed: input.asDescribed,
      originalPackaging: input.originalPackaging,
      allTags: input.allTags,
      authentic: input.authentic,
    },
    outcome,
    note,
    restock: outcome === "passed" ? await restock(ctx, returnId) : null,
    photos: stored.map((p) => ({ fileId: p.fileId, url: p.url })),
  };
  const recorded = await withOrders(ctx.db, shop, ctx.now, async (orders) => {
    // Two clicks racing past the check above: the first one's record stands, photos stored once.
    const fresh = await orders.tx.return.findUniqueOrThrow({ where: { id: returnId }, select: { inspection: true } });
    if (inspectionOf(fresh)) return inspectionOf(fresh)!;
    if (stored.length)
      await orders.tx.returnPhoto.createMany({
        data: stored.map((p) => ({ returnId, shop, kind: "inspection", ...p })),
      });
    await recordReturnChange(orders, {
      shop,
      returnId,
      status: "inspected",
      kind: "return_inspected",
      at: ctx.now,
      source: "app",
      data: { inspection: inspection as unknown as Prisma.InputJsonValue, inspectedAt: ctx.now },
    });
    return null;
  });
  if (recorded) return { returnId, inspection: recorded, repeated: true };
  return { returnId, inspection, repeated: false };
}
