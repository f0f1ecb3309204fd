import {
  addBusinessDays,
  businessDaysWindowEnd,
  calendarDaysWindowEnd,
  endOfLocalDay,
  firstWorkingDay,
  hoursWindowEnd,
  localDateOf,
  startOfLocalDay,
  type LocalDate,
} from "./calendar";
import { refundVisibleWindow } from "./refunds";
import type { RuleId } from "./rules";
import type { PolicySettings } from "./settings";
import { freeShippingOrderAudit, type FreeShippingAuditCode, type OrderShippingFacts } from "./shipping";

/** What happened to an order, from Shopify's own timestamps. */
export interface OrderFacts {
  /** Order confirmation (`processed_at`). */
  placedAt: Date;
  cancelledAt: Date | null;
  /** First fulfillment (`created_at`) of the order. */
  shippedAt: Date | null;
  /** Tracking's delivered event (`happened_at`). */
  deliveredAt: Date | null;
  awaitingPaymentOnDelivery: boolean;
  returnLabelIssuedAt: Date | null;
  /** The return package's carrier scan, if any (a used label does not void). */
  returnShippedAt?: Date | null;
  wrongItemReportedAt: Date | null;
  refundedAt: Date | null;
  /** SHP-1 as the order was placed; null or left out when not known. */
  shipping?: OrderShippingFacts | null;
}

export type DeadlineKey =
  | "cancellation_window_ends"
  | "processing_starts"
  | "ship_by"
  | "delivery_expected_from"
  | "delivery_expected_by"
  | "not_received_contact_from"
  | "carrier_claim_by"
  | "payment_on_delivery_by"
  | "receipt_available_until"
  | "return_request_by"
  | "wrong_item_report_by"
  | "wrong_item_answer_by"
  | "return_label_voids_at"
  | "return_package_arrives_by"
  | "refund_visible_by";

export interface Deadline {
  key: DeadlineKey;
  rule: RuleId;
  at: Date;
  /** Whether `at` is projected from the policy's timings rather than from the event it hangs on. */
  projected: boolean;
}

const LABELS: Record<DeadlineKey, string> = {
  cancellation_window_ends: "Cancellation window ends",
  processing_starts: "Processing starts",
  ship_by: "Ship by",
  delivery_expected_from: "Delivery expected from",
  delivery_expected_by: "Delivery expected by",
  not_received_contact_from: "Customer may report not received after",
  carrier_claim_by: "Carrier claim must be filed by",
  payment_on_delivery_by: "Payment on delivery due by",
  receipt_available_until: "Receipt available until",
  return_request_by: "Return must be requested by",
  wrong_item_report_by: "Wrong item must be reported by",
  wrong_item_answer_by: "Answer the wrong-item report by",
  return_label_voids_at: "Return label voids at",
  return_package_arrives_by: "Return package must arrive by",
  refund_visible_by: "Refund shows on statement by",
};

/** A return's own deadlines, stored as `<kind>:<return gid>` beside the order's. */
export type ReturnDeadlineKind = "label_void" | "return_arrival" | "return_answer" | "refund_visible";

const RETURN_DEADLINES: Record<ReturnDeadlineKind, { rule: RuleId; label: string }> = {
  label_void: { rule: "RET-6", label: "Return label voids" },
  return_arrival: { rule: "RET-12", label: "Returned package must arrive" },
  return_answer: { rule: "RET-9", label: "Answer the wrong-item claim" },
  refund_visible: { rule: "RET-8", label: "Refund shows on the statement" },
};

/** The key a return's deadline is stored under. */
export const returnDeadlineKey = (kind: ReturnDeadlineKind, returnId: string) => `${kind}:${returnId}`;

/** A stored `<kind>:<return gid>` key read back: which return, which rule, its name; null for any other key. */
export function returnDeadline(
  key: string,
): { kind: ReturnDeadlineKind; returnId: string; rule: RuleId; label: string } | null {
  const colon = key.indexOf(":");
  const kind = key.slice(0, colon);
  if (colon < 0 || !Object.hasOwn(RETURN_DEADLINES, kind)) return null;
  return {
    kind: kind as ReturnDeadlineKind,
    returnId: key.slice(colon + 1),
    ...RETURN_DEADLINES[kind as ReturnDeadlineKind],
  };
}

/**
 * The name of a deadline as stored: the order's own (`ship_by`) or a return's (`label_void:<gid>`).
 * A key without a name (a kind added later) reads as its words rather than a blank.
 */
export function deadlineLabel(key: string): string {
  if (Object.hasOwn(LABELS, key)) return LABELS[key as DeadlineKey];
  const named = returnDeadline(key);
  if (named) return named.label;
  const words = key.split(":")[0]!.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** TML-1: the business day processing starts (after the cut-off, weekends and holidays: the next one). */
export function processingStartDay(placedAt: Date, settings: PolicySettings): LocalDate {
  return firstWorkingDay(placedAt, settings.calendar);
}

/** Every deadline of TML-1…7, CAN-1 and RET-1/6/8/9/12 that the facts so far allow to compute. */
export function orderDeadlines(facts: OrderFacts, settings: PolicySettings): Deadline[] {
  const { calendar, timeline, returns, cancellation } = settings;
  const zone = calendar.timeZone;
  const out: Deadline[] = [];
  const push = (key: DeadlineKey, rule: RuleId, at: Date, projected = false) => out.push({ key, rule, at, projected });

  push("cancellation_window_ends", "CAN-1", hoursWindowEnd(facts.placedAt, cancellation.windowHours));
  if (facts.cancelledAt) return out;

  const startDay = processingStartDay(facts.placedAt, settings);
  const startsSameDay = startDay === localDateOf(facts.placedAt, zone);
  push("processing_starts", "TML-1", startsSameDay ? facts.placedAt : startOfLocalDay(startDay, zone));
  const { processingBusinessDays: proc, deliveryBusinessDays: delivery } = timeline;
  push("ship_by", "TML-2", endOfLocalDay(addBusinessDays(startDay, proc.max, calendar.holidays), zone));

  if (facts.shippedAt) {
    const shipDay = localDateOf(facts.shippedAt, zone);
    push(
      "delivery_expected_from",
      "TML-3",
      startOfLocalDay(addBusinessDays(shipDay, delivery.min, calendar.holidays), zone),
    );
    push("delivery_expected_by", "TML-3", businessDaysWindowEnd(facts.shippedAt, delivery.max, calendar));
    push(
      "not_received_contact_from",
      "TML-4",
      businessDaysWindowEnd(facts.shippedAt, timeline.notReceivedBusinessDays, calendar),
    );
    push(
      "carrier_claim_by",
      "TML-5",
      businessDaysWindowEnd(facts.shippedAt, timeline.carrierClaimBusinessDays, calendar),
    );
    if (facts.awaitingPaymentOnDelivery) {
      push(
        "payment_on_delivery_by",
        "TML-6",
        calendarDaysWindowEnd(facts.shippedAt, timeline.paymentOnDeliveryDays, zone),
      );
    }
    push("receipt_available_until", "TML-7", calendarDaysWindowEnd(facts.shippedAt, timeline.receiptDays, zone));
  } else {
    const from = addBusinessDays(startDay, proc.min + delivery.min, calendar.holidays);
    const by = addBusinessDays(startDay, proc.max + delivery.max, calendar.holidays);
    push("delivery_expected_from", "TML-3", startOfLocalDay(from, zone), true);
    push("delivery_expected_by", "TML-3", endOfLocalDay(by, zone), true);
  }

  if (facts.deliveredAt) {
    if (returns.enabled)
      push("return_request_by", "RET-1", calendarDaysWindowEnd(facts.deliveredAt, returns.windowDays, zone));
    push(
      "wrong_item_report_by",
      "RET-9",
      businessDaysWindowEnd(facts.deliveredAt, returns.wrongItem.reportBusinessDays, calendar),
    );
    if (returns.packageArrivalDays !== null) {
      push(
        "return_package_arrives_by",
        "RET-12",
        calendarDaysWindowEnd(facts.deliveredAt, returns.packageArrivalDays, zone),
      );
    }
  }
  if (facts.wrongItemReportedAt) {
    push("wrong_item_answer_by", "RET-9", hoursWindowEnd(facts.wrongItemReportedAt, returns.wrongItem.answerHours));
  }
  if (facts.returnLabelIssuedAt) {
    push(
      "return_label_voids_at",
      "RET-6",
      businessDaysWindowEnd(facts.returnLabelIssuedAt, returns.labelVoidBusinessDays, calendar),
    );
  }
  if (facts.refundedAt) push("refund_visible_by", "RET-8", refundVisibleWindow(facts.refundedAt, settings).by);
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Whether the event a deadline waits for has already happened, so the deadline no longer matters. */
export function isSettled(deadline: Deadline, facts: OrderFacts): boolean {
  switch (deadline.key) {
    case "cancellation_window_ends":
      return facts.cancelledAt !== null || facts.shippedAt !== null;
    case "processing_starts":
    case "ship_by":
      return facts.shippedAt !== null;
    case "delivery_expected_from":
    case "delivery_expected_by":
    case "not_received_contact_from":
    case "carrier_claim_by":
      return facts.deliveredAt !== null;
    case "payment_on_delivery_by":
      return !facts.awaitingPaymentOnDelivery;
    case "return_request_by":
    case "wrong_item_report_by":
    case "return_package_arrives_by":
    case "return_label_voids_at":
      return facts.refundedAt !== null;
    default:
      return false;
  }
}

/** The deadlines still ahead of `now` whose event has not happened yet, soonest first. */
export function upcomingDeadlines(facts: OrderFacts, settings: PolicySettings, now: Date): Deadline[] {
  return orderDeadlines(facts, settings).filter((d) => d.at.getTime() > now.getTime() && !isSettled(d, facts));
}

/** A timeline entry the policy derives from the facts rather than one Shopify reports. */
export interface DerivedEvent {
  kind: "processing" | "label_voided";
  rule: RuleId;
  occurredAt: Date;
}

/**
 * TML-1 processing starts (unless cancelled first) and RET-6 the label voids
 * (unless the package shipped first), once their time has come. Derived from
 * the facts alone, so they are the same whatever order the facts arrived in.
 */
export function derivedEvents(facts: OrderFacts, settings: PolicySettings, now: Date): DerivedEvent[] {
  const due = (at: Date) => at.getTime() <= now.getTime();
  const before = (a: Date | null | undefined, b: Date) => Boolean(a && a.getTime() <= b.getTime());
  const out: DerivedEvent[] = [];
  const deadlines = orderDeadlines({ ...facts, cancelledAt: null }, settings);
  const processing = deadlines.find((d) => d.key === "processing_starts");
  if (processing && due(processing.at) && !before(facts.cancelledAt, processing.at)) {
    out.push({ kind: "processing", rule: "TML-1", occurredAt: processing.at });
  }
  const voids = deadlines.find((d) => d.key === "return_label_voids_at");
  if (voids && due(voids.at) && !before(facts.returnShippedAt, voids.at) && !before(facts.refundedAt, voids.at)) {
    out.push({ kind: "label_voided", rule: "RET-6", occurredAt: voids.at });
  }
  return out;
}

export type AlertKind =
  | "late_to_ship"
  | "not_received"
  | "claim_deadline_near"
  | "payment_on_delivery_overdue"
  | "free_shipping_below_threshold"
  | "free_shipping_withheld";

const FREE_SHIPPING_ALERTS: Record<FreeShippingAuditCode, AlertKind> = {
  FREE_SHIPPING_BELOW_THRESHOLD: "free_shipping_below_threshold",
  FREE_SHIPPING_WITHHELD: "free_shipping_withheld",
};

export interface OrderAlert {
  kind: AlertKind;
  rule: RuleId;
  since: Date;
}

/**
 * The deadlines that have passed without the event they wait for, as of `now`, and an
 * order that shipped free below the SHP-1 threshold or paid shipping above it.
 */
export function orderAlerts(facts: OrderFacts, settings: PolicySettings, now: Date): OrderAlert[] {
  if (facts.cancelledAt) return [];
  const at = new Map(orderDeadlines(facts, settings).map((d) => [d.key, d.at]));
  const passed = (key: DeadlineKey) => {
    const when = at.get(key);
    return when && now.getTime() > when.getTime() ? when : undefined;
  };
  const alerts: OrderAlert[] = [];
  const shipBy = passed("ship_by");
  if (!facts.shippedAt && shipBy) alerts.push({ kind: "late_to_ship", rule: "TML-2", since: shipBy });
  if (facts.shippedAt && !facts.deliveredAt) {
    const notReceived = passed("not_received_contact_from");
    if (notReceived) {
      alerts.push({ kind: "not_received", rule: "TML-4", since: notReceived });
      alerts.push({ kind: "claim_deadline_near", rule: "TML-5", since: notReceived });
    }
  }
  const pod = passed("payment_on_delivery_by");
  if (pod) alerts.push({ kind: "payment_on_delivery_overdue", rule: "TML-6", since: pod });
  const freeShipping = facts.shipping ? freeShippingOrderAudit(facts.shipping, settings.shipping) : null;
  if (freeShipping) alerts.push({ kind: FREE_SHIPPING_ALERTS[freeShipping], rule: "SHP-1", since: facts.placedAt });
  return alerts;
}
