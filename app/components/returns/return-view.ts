import { formatMoney } from "../../policy";
import type { ReturnDetail } from "../../services/returns/return-detail.server";
import { clockText, dateTime, reasonLabel, shortDate, statusLabel } from "./clock";

const TIMELINE_LABELS: Record<string, string> = {
  return_requested: "Return requested",
  return_approved: "Approved",
  return_declined: "Declined",
  return_cancelled: "Cancelled",
  label_issued: "Label issued",
  label_voided: "Label voided",
  return_shipped: "Shipped by the shopper",
  return_received: "Received",
  return_inspected: "Inspected",
  return_rejected: "Rejected (shipped after the label voided)",
  return_lost: "Lost in transit",
  refunded: "Refunded",
  return_closed: "Closed",
};

/** The photos recorded with the inspection step, as the timeline names them. */
function photoCount(detail: ReturnDetail): string {
  const n = detail.inspection?.photos?.length ?? 0;
  return n ? ` (${n} photo${n === 1 ? "" : "s"})` : "";
}

/** The detail page's data as text in the shop's time zone, so server and browser render the same. */
export function returnView(detail: ReturnDetail, timeZone: string, now: Date) {
  const at = (d: Date) => dateTime(d, timeZone);
  const { quote } = detail;
  return {
    id: detail.id,
    title: `Return ${detail.name ?? detail.orderName}`,
    subtitle: `Order ${detail.orderName} · ${detail.customer ?? "no email"} · requested ${at(detail.requestedAt)}`,
    status: detail.status,
    reason: reasonLabel(detail.reason),
    customerNote: detail.customerNote,
    fee: formatMoney(detail.fee),
    lines: detail.lines.map((l) => ({
      id: l.id,
      title: l.title,
      quantity: l.quantity,
      price: formatMoney(l.unitPrice),
      tax: formatMoney(l.tax),
    })),
    claimPhotos: detail.photos.filter((p) => p.kind !== "inspection"),
    inspectionPhotos: detail.photos.filter((p) => p.kind === "inspection"),
    labels: detail.labels.map((l) => ({
      id: l.id,
      text: `${l.carrier} ${l.trackingNumber ?? "(no tracking)"} · ${statusLabel(l.status)} · voids ${at(l.voidsAt)}${l.firstScanAt ? ` · first scan ${at(l.firstScanAt)}` : ""}`,
      url: l.labelUrl,
    })),
    verdict: {
      eligible: detail.verdict.eligible,
      lines: detail.verdict.lines.map((l) => ({
        title: l.title,
        eligible: l.eligible,
        decisions: l.decisions.map((d) => ({ rule: d.rule, allowed: d.allowed, message: d.message })),
      })),
    },
    quote: {
      allowed: quote.decision.allowed,
      rule: quote.decision.rule,
      message: quote.decision.message,
      rows: [
        ["Items", formatMoney(quote.merchandise)],
        ["Tax", formatMoney(quote.tax)],
        ...quote.fees.map((f) => [`${f.label} (${f.rule})`, `−${formatMoney(f.amount)}`]),
        ["Shipping (never refunded, RET-7)", formatMoney(quote.shippingRefunded)],
        ["Refund to the original card", formatMoney(quote.total)],
      ] as Array<[string, string]>,
      totalCents: quote.total.amount,
      total: formatMoney(quote.total),
    },
    decline: detail.decline,
    answer: detail.answer
      ? {
          text: detail.answer.text,
          at: at(detail.answer.answeredAt),
          within: detail.answer.withinClock,
          due: at(detail.answer.dueAt),
        }
      : null,
    inspection: detail.inspection,
    refund: detail.refund
      ? {
          amount: formatMoney(detail.refund.amount),
          at: at(detail.refund.refundedAt),
          window: `${shortDate(detail.refund.visibleFrom, timeZone)} – ${shortDate(detail.refund.visibleBy, timeZone)}`,
        }
      : null,
    timeline: detail.timeline.map((e) => ({
      key: `${e.kind}-${e.at.getTime()}`,
      label: `${TIMELINE_LABELS[e.kind] ?? statusLabel(e.kind)}${e.kind === "return_inspected" ? photoCount(detail) : ""}`,
      at: at(e.at),
    })),
    clock: detail.clock
      ? { text: clockText(detail.clock, now, timeZone), rule: detail.clock.rule, overdue: detail.clock.overdue }
      : null,
    actions: detail.actions,
    isClaim: detail.reason !== "change_of_mind",
  };
}

export type ReturnView = ReturnType<typeof returnView>;
