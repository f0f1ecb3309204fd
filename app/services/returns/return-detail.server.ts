import { hoursWindowEnd, money, refundVisibleWindow, type Money, type RefundQuote } from "../../policy";
import { ownReturn, withSaleFacts, type QueueContext } from "./queue-steps.server";
import { inspectionOf, returnVerdict, refundQuoteOf, type Inspection, type ReturnVerdict } from "./queue-verdict";
import { returnClock, type ReturnClock } from "./returns-queue.server";

/** Timeline entries that belong to a return though keyed by another id (a label, a refund). */
const RELATED_KINDS = new Set(["label_issued", "label_voided", "return_shipped", "refunded"]);

export interface ReturnActions {
  approve: boolean;
  decline: boolean;
  answer: boolean;
  receive: boolean;
  inspect: boolean;
  refund: boolean;
  /** Approved, but no label is out (the carrier failed, or the label voided): send one. */
  sendLabel: boolean;
  /** Staff may upload a label PDF of their own: approved (or the label voided) and no label out. */
  uploadLabel: boolean;
  /** "Send a new label": the label out was never scanned (the shopper lost it); it is voided and replaced. */
  replaceLabel: boolean;
}

export interface ReturnDetail {
  id: string;
  name: string | null;
  orderId: string;
  orderName: string;
  customer: string | null;
  status: string;
  reason: string;
  source: string;
  requestedAt: Date;
  customerNote: string | null;
  /** RET-7 as decided when the shopper asked. */
  fee: Money;
  lines: Array<{ id: string; title: string; quantity: number; unitPrice: Money; tax: Money }>;
  photos: Array<{ id: string; kind: string; url: string | null; contentType: string }>;
  labels: Array<{
    id: string;
    carrier: string;
    trackingNumber: string | null;
    labelUrl: string | null;
    status: string;
    issuedAt: Date;
    voidsAt: Date;
    firstScanAt: Date | null;
  }>;
  verdict: ReturnVerdict;
  quote: RefundQuote;
  decline: { reason: string | null; note: string | null } | null;
  answer: { text: string; answeredAt: Date; dueAt: Date; withinClock: boolean } | null;
  inspection: Inspection | null;
  refund: { amount: Money; refundedAt: Date; visibleFrom: Date; visibleBy: Date } | null;
  timeline: Array<{ kind: string; at: Date; source: string }>;
  clock: ReturnClock | null;
  actions: ReturnActions;
}

/**
 * One return for staff: its lines, the shopper's reason, note and photos, the policy's
 * verdict computed now (with rule ids), the refund quote, the timeline and what can be done.
 */
export async function returnDetail(ctx: QueueContext, returnId: string): Promise<ReturnDetail> {
  const { db, settings, now } = ctx;
  const ret = await withSaleFacts(ctx, await ownReturn(db, ctx.gateway.shop, returnId));
  const currency = ret.currency;
  const deadlines = await db.orderDeadline.findMany({
    where: { orderId: ret.orderId, key: { endsWith: `:${ret.id}` }, settled: false },
    select: { key: true, dueAt: true },
  });
  const quote = refundQuoteOf(ret, settings);
  const activeLabel = ret.labels.some((l) => ["issued", "in_transit", "delivered"].includes(l.status));
  const answerDue = hoursWindowEnd(ret.requestedAt, settings.returns.wrongItem.answerHours);
  return {
    id: ret.id,
    name: ret.name,
    orderId: ret.orderId,
    orderName: ret.order.name,
    customer: ret.order.email,
    status: ret.status,
    reason: ret.reason,
    source: ret.source,
    requestedAt: ret.requestedAt,
    customerNote: ret.customerNote,
    fee: money(ret.feeCents, currency),
    lines: ret.lines.map((line) => ({
      id: line.id,
      title: ret.order.lines.find((l) => l.id === line.orderLineId)?.title ?? "Item",
      quantity: line.quantity,
      unitPrice: money(line.unitPriceCents, currency),
      tax: money(line.taxCents, currency),
    })),
    photos: ret.photos.map((p) => ({ id: p.id, kind: p.kind, url: p.url, contentType: p.contentType })),
    labels: ret.labels.map((l) => ({
      id: l.id,
      carrier: l.carrier,
      trackingNumber: l.trackingNumber,
      labelUrl: l.labelUrl,
      status: l.status,
      issuedAt: l.issuedAt,
      voidsAt: l.voidsAt,
      firstScanAt: l.firstScanAt,
    })),
    verdict: returnVerdict(ret, settings),
    quote,
    decline: ret.status === "declined" ? { reason: ret.declineReason, note: ret.declineNote } : null,
    answer:
      ret.answer && ret.answeredAt
        ? { text: ret.answer, answeredAt: ret.answeredAt, dueAt: answerDue, withinClock: ret.answeredAt <= answerDue }
        : null,
    inspection: inspectionOf(ret),
    refund:
      ret.refundedAt && ret.refundCents !== null
        ? {
            amount: money(ret.refundCents, currency),
            refundedAt: ret.refundedAt,
            visibleFrom: refundVisibleWindow(ret.refundedAt, settings).from,
            visibleBy: refundVisibleWindow(ret.refundedAt, settings).by,
          }
        : null,
    timeline: ret.order.events
      .filter((e) => e.ref === ret.id || RELATED_KINDS.has(e.kind))
      .map((e) => ({ kind: e.kind, at: e.occurredAt, source: e.source })),
    clock: returnClock(ret, new Map(deadlines.map((d) => [d.key, d.dueAt])), settings, now),
    actions: {
      approve: ret.status === "requested",
      decline: ret.status === "requested",
      answer: ret.status === "requested" && ret.reason === "wrong_item",
      receive: ret.status === "approved" || ret.status === "in_transit",
      inspect: ret.status === "received",
      refund: ret.status === "inspected" && quote.decision.allowed,
      sendLabel: ret.status === "approved" && !activeLabel,
      uploadLabel: (ret.status === "approved" || ret.status === "label_voided") && !activeLabel,
      replaceLabel:
        (ret.status === "approved" || ret.status === "label_voided") &&
        ret.labels.some((l) => l.status === "issued" && !l.firstScanAt),
    },
  };
}
