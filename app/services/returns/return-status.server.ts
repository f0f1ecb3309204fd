import { formatMoney, hoursWindowEnd, money, refundVisibleWindow, type PolicySettings } from "../../policy";
import { followingDates, shortDate } from "../../policy/return-dates";
import type { ReturnReason, ReturnStatus, ReturnStatusView } from "./portal-types";
import {
  loadCustomerOrder,
  portalDb,
  shopPolicy,
  type PortalDeps,
  type StoredOrder,
  type StoredReturn,
} from "./return-facts.server";

const earliestDelivery = (order: StoredOrder) =>
  order.events
    .filter((e) => e.kind === "delivered")
    .map((e) => e.occurredAt)
    .sort((a, b) => +a - +b)[0] ?? null;

function message(view: Omit<ReturnStatusView, "message">, settings: PolicySettings, now: Date): string {
  const zone = settings.calendar.timeZone;
  const day = (at: Date) => shortDate(at, now, zone);
  switch (view.status) {
    case "requested":
      return view.answerBy
        ? `We have your report and will answer by ${day(view.answerBy)} (RET-9).`
        : "We have your request; the store reviews it and you will hear back here.";
    case "approved":
      return view.label
        ? `Your prepaid label is ready: ship the package by ${day(view.label.voidsAt)}; the label voids after that (RET-6).`
        : "Approved. Your prepaid return label will appear here.";
    case "declined":
      return `The store declined this return${view.decline?.note ? `: ${view.decline.note}` : "."}`;
    case "in_transit":
      return view.arrivalBy
        ? `On its way back to the store; it must arrive by ${day(view.arrivalBy)} (RET-12).`
        : "On its way back to the store.";
    case "received":
    case "inspected":
      return "The store has your package and is inspecting it; the refund follows (RET-8).";
    case "refunded":
    case "closed":
      return view.refund
        ? `Refunded ${formatMoney(view.refund.amount)} to your original payment method; it shows on your statement between ${day(view.refund.visibleFrom)} and ${day(view.refund.visibleBy)} (RET-8).`
        : "This return is closed.";
    case "cancelled":
      return "This return was cancelled.";
    case "label_voided":
      return "The label voided before the package was sent (RET-6). Contact the store if you still want to return the item.";
    case "rejected":
      return "The package was sent after the label voided and was not accepted (RET-6).";
    case "lost":
      return "The package was lost in transit before the store received it (RET-13).";
  }
}

/** One return as the shopper sees it: its state, the label and when it voids, the arrival date, the refund. */
export function statusView(
  ret: StoredReturn,
  order: StoredOrder,
  settings: PolicySettings,
  now: Date,
): ReturnStatusView {
  const currency = ret.currency;
  const label = [...ret.labels].sort((a, b) => +b.issuedAt - +a.issuedAt)[0] ?? null;
  const titles = new Map(order.lines.map((l) => [l.id, l.title]));
  const refunded = ret.refundCents !== null && ret.refundedAt !== null;
  const visible = refunded ? refundVisibleWindow(ret.refundedAt!, settings) : null;
  const view: Omit<ReturnStatusView, "message"> = {
    returnId: ret.id,
    name: ret.name,
    status: ret.status as ReturnStatus,
    reason: ret.reason as ReturnReason,
    requestedAt: ret.requestedAt,
    lines: ret.lines.map((l) => ({
      lineId: l.orderLineId,
      title: titles.get(l.orderLineId) ?? "",
      quantity: l.quantity,
    })),
    fee: money(ret.feeCents, currency),
    decline: ret.status === "declined" || ret.declineNote ? { reason: ret.declineReason, note: ret.declineNote } : null,
    answerBy:
      ret.reason === "wrong_item" && !ret.answeredAt
        ? hoursWindowEnd(ret.requestedAt, settings.returns.wrongItem.answerHours)
        : null,
    answer: ret.answer,
    label: label
      ? {
          url: label.labelUrl,
          trackingNumber: label.trackingNumber,
          carrier: label.carrier,
          status: label.status,
          issuedAt: label.issuedAt,
          voidsAt: label.voidsAt,
        }
      : null,
    arrivalBy: followingDates(ret.requestedAt, earliestDelivery(order), settings).arrivalBy,
    refund: visible
      ? {
          amount: money(ret.refundCents!, currency),
          refundedAt: ret.refundedAt!,
          visibleFrom: visible.from,
          visibleBy: visible.by,
        }
      : null,
  };
  return { ...view, message: message(view, settings, now) };
}

/** The returns of one of this customer's orders, newest first. */
export async function returnStatus(
  shop: string,
  customerId: string,
  orderId: string,
  now: Date,
  deps: PortalDeps = {},
): Promise<ReturnStatusView[]> {
  const db = portalDb(deps);
  const [settings, order] = await Promise.all([shopPolicy(db, shop), loadCustomerOrder(db, shop, customerId, orderId)]);
  return order.returns
    .sort((a, b) => +b.requestedAt - +a.requestedAt)
    .map((ret) => statusView(ret, order, settings, now));
}
