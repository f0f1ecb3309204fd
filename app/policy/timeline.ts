/**
 * TML-8: an order's life as events, each recorded once and ordered by when it
 * happened (Shopify's own timestamps), never by when a webhook arrived.
 */
export const ORDER_STAGES = [
  "placed",
  "paid",
  "processing",
  "shipped",
  "delivered",
  "return_requested",
  "return_approved",
  "return_declined",
  "return_cancelled",
  "label_issued",
  "label_voided",
  "return_shipped",
  "return_received",
  "return_inspected",
  "return_rejected",
  "return_lost",
  "refunded",
  "return_closed",
  // WAR-1…5: a warranty claim's steps (ref = the claim's id); they never change the order's state.
  "warranty_claim_filed",
  "warranty_decided",
  "warranty_repair_approved",
  "warranty_repair_quoted",
  "warranty_invoice_sent",
  "warranty_claim_declined",
  // SHP-4: a parcel sent against the store's carrier or signature rule (ref = the fulfillment); not a state.
  "fulfillment_flagged",
  "cancelled",
] as const;

export type OrderEventKind = (typeof ORDER_STAGES)[number];

export interface OrderEvent {
  kind: OrderEventKind;
  occurredAt: Date;
  /** What the event is about when it can happen more than once (a fulfillment, a return). */
  ref?: string;
}

const stageRank = (kind: OrderEventKind) => ORDER_STAGES.indexOf(kind);

/** Each (kind, ref) once, at its earliest time, in order of occurrence; ties by life-cycle order. */
export function orderTimeline(events: readonly OrderEvent[]): OrderEvent[] {
  const byKey = new Map<string, OrderEvent>();
  for (const event of events) {
    const key = `${event.kind}|${event.ref ?? ""}`;
    const known = byKey.get(key);
    if (!known || event.occurredAt.getTime() < known.occurredAt.getTime()) byKey.set(key, event);
  }
  return [...byKey.values()].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || stageRank(a.kind) - stageRank(b.kind),
  );
}

/**
 * The order's state: cancelled wins; otherwise the furthest stage reached.
 * A voided label is not a state: the return stays requested until a new label.
 */
export function orderState(events: readonly OrderEvent[]): OrderEventKind | null {
  const kinds = new Set(events.map((e) => e.kind));
  if (kinds.has("cancelled")) return "cancelled";
  let state: OrderEventKind | null = null;
  for (const kind of kinds) {
    if (kind === "label_voided" || kind === "fulfillment_flagged" || kind.startsWith("warranty_")) continue;
    if (state === null || stageRank(kind) > stageRank(state)) state = kind;
  }
  return state;
}
