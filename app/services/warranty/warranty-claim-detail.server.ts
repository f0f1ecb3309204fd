import type { PrismaClient } from "@prisma/client";
import { WARRANTY_ISSUES } from "../../policy";
import { photosOf, shopClaim, STATUS_LABELS } from "./warranty-claim-record.server";

/** One claim of this shop for its detail page: the piece, what the shopper said, the rule's decision, the steps. */
export async function warrantyClaimDetail(db: PrismaClient, shop: string, id: string) {
  const claim = await shopClaim(db, shop, id);
  const order = await db.order.findFirstOrThrow({
    where: { id: claim.orderId, shop },
    include: { lines: true, events: { where: { ref: claim.id }, orderBy: { occurredAt: "asc" } } },
  });
  const line = order.lines.find((l) => l.id === claim.orderLineId);
  return {
    id: claim.id,
    status: claim.status,
    statusLabel: STATUS_LABELS[claim.status] ?? claim.status,
    order: { id: order.id, name: order.name, email: order.email, currency: order.currency },
    item: line ? { title: line.title, unitPriceCents: line.unitPriceCents, tags: line.productTags ?? "" } : null,
    issue: claim.defect,
    issueLabel: WARRANTY_ISSUES.find((i) => i.issue === claim.defect)?.label ?? claim.defect,
    note: claim.note,
    covered: claim.covered,
    rule: claim.rule,
    code: claim.code,
    sentence: claim.sentence,
    coverageEndsAt: claim.coverageEndsAt?.toISOString() ?? null,
    photos: photosOf(claim),
    quote:
      claim.quoteCents != null ? { amount: claim.quoteCents, currency: claim.quoteCurrency ?? order.currency } : null,
    draftOrderId: claim.draftOrderId,
    invoiceUrl: claim.invoiceUrl,
    invoiceSentAt: claim.invoiceSentAt?.toISOString() ?? null,
    staffNote: claim.staffNote,
    decidedBy: claim.decidedBy,
    filedAt: claim.filedAt.toISOString(),
    events: order.events.map((e) => ({ kind: e.kind, occurredAt: e.occurredAt.toISOString() })),
  };
}

export type WarrantyClaimDetail = Awaited<ReturnType<typeof warrantyClaimDetail>>;
