import type { EmulatedStore, Node } from "../store";
import { refundOrder } from "./orders";

export class ReturnError extends Error {
  constructor(
    readonly code: string,
    readonly field: string[],
    message: string,
  ) {
    super(message);
  }
}

const ACTIVE = ["REQUESTED", "OPEN", "CLOSED"];

/** What of a fulfilled line can still be returned: fulfilled minus what active returns already hold. */
export function returnableQuantity(store: EmulatedStore, fulfillmentLineItem: Node): number {
  const order = fulfillmentLineItem._fulfillment.order as Node;
  const held = (order.returns as Node[])
    .filter((r) => ACTIVE.includes(r.status))
    .flatMap((r) => r.returnLineItems as Node[])
    .filter((line) => line.fulfillmentLineItem === fulfillmentLineItem)
    .reduce((sum, line) => sum + line.quantity, 0);
  return fulfillmentLineItem.quantity - held;
}

/**
 * Shopify's return objects as the store keeps them (GraphQL field names, read by the default resolver):
 *
 * - Return { id, name "#1001-R1", status REQUESTED | OPEN | CLOSED | DECLINED | CANCELED, order, createdAt,
 *   requestApprovedAt, closedAt, decline { reason, note }, returnLineItems: ReturnLineItem[],
 *   reverseFulfillmentOrders: ReverseFulfillmentOrder[], refunds, returnShippingFees: ReturnShippingFee[],
 *   exchangeLineItems, totalQuantity, _source "app" | "native" }, in `order.returns` and `store.returns`.
 * - ReturnLineItem { id, fulfillmentLineItem, quantity, returnReason, returnReasonNote, customerNote,
 *   processedQuantity, unprocessedQuantity, processableQuantity, refundableQuantity, refundedQuantity }.
 * - ReturnShippingFee { id, amountSet } — what the shopper pays for the return label (returnRequest's returnShippingFee).
 * - ReverseFulfillmentOrder { id, status OPEN | CLOSED, order, lineItems: ReverseFulfillmentOrderLineItem[]
 *   ({ id, fulfillmentLineItem, totalQuantity, dispositions, _returnLineItem }), reverseDeliveries, _return },
 *   opened when the return is approved.
 * - ReverseDelivery { id, reverseFulfillmentOrder, deliverable { label { publicFileUrl, createdAt }, tracking },
 *   reverseDeliveryLineItems, _createdAt }.
 * - Files: MediaImage / GenericFile nodes in `store.files`, made by fileCreate from `store.uploads`
 *   (staged uploads, by path "/uploads/…"); see resolvers/returns.ts.
 */

export interface ReturnLineRequest {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReason?: string | null;
  customerNote?: string | null;
}

export interface ReturnOptions {
  /** What the shopper pays for the return label, in cents (returnRequest's returnShippingFee). */
  shippingFeeCents?: number | null;
  /** Who created it: the app (Admin API) or Shopify's own self-serve returns in the customer account. */
  source?: "app" | "native";
}

function buildReturn(
  store: EmulatedStore,
  order: Node,
  lines: ReturnLineRequest[],
  status: "REQUESTED" | "OPEN",
  at: Date,
  options: ReturnOptions = {},
): Node {
  if (lines.length === 0)
    throw new ReturnError("BLANK", ["input", "returnLineItems"], "Return line items can't be blank.");
  const returnLineItems = lines.map((line, index) => {
    const fli = store.node(line.fulfillmentLineItemId);
    if (!fli || fli.__typename !== "FulfillmentLineItem" || fli._fulfillment.order !== order) {
      throw new ReturnError(
        "NOT_FOUND",
        ["input", "returnLineItems", String(index), "fulfillmentLineItemId"],
        "Fulfillment line item does not exist.",
      );
    }
    if (line.quantity <= 0) {
      throw new ReturnError(
        "GREATER_THAN",
        ["input", "returnLineItems", String(index), "quantity"],
        "Quantity must be greater than 0.",
      );
    }
    if (line.quantity > returnableQuantity(store, fli)) {
      throw new ReturnError(
        "INVALID",
        ["input", "returnLineItems", String(index), "quantity"],
        "Quantity is not available for return.",
      );
    }
    return store.register({
      __typename: "ReturnLineItem",
      id: store.gid("ReturnLineItem"),
      fulfillmentLineItem: fli,
      quantity: line.quantity,
      returnReason: line.returnReason ?? "UNKNOWN",
      returnReasonNote: "",
      customerNote: line.customerNote ?? null,
      processedQuantity: 0,
      unprocessedQuantity: line.quantity,
      processableQuantity: line.quantity,
      refundableQuantity: line.quantity,
      refundedQuantity: 0,
      returnReasonDefinition: null,
    });
  });
  const created = store.register({
    __typename: "Return",
    id: store.gid("Return"),
    name: `${order.name}-R${order.returns.length + 1}`,
    status,
    order,
    createdAt: at.toISOString(),
    requestApprovedAt: status === "OPEN" ? at.toISOString() : null,
    closedAt: null,
    decline: null,
    returnLineItems,
    reverseFulfillmentOrders: [] as Node[],
    refunds: [] as Node[],
    returnShippingFees: options.shippingFeeCents
      ? [
          store.register({
            __typename: "ReturnShippingFee",
            id: store.gid("ReturnShippingFee"),
            amountSet: store.money(options.shippingFeeCents),
          }),
        ]
      : [],
    exchangeLineItems: [],
    totalQuantity: returnLineItems.reduce((sum, l) => sum + l.quantity, 0),
    _source: options.source ?? "app",
  });
  order.returns.push(created);
  store.returns.push(created);
  store.touch(order, at);
  return created;
}

function openReverseFulfillment(store: EmulatedStore, ret: Node): void {
  const rfo = store.register({
    __typename: "ReverseFulfillmentOrder",
    id: store.gid("ReverseFulfillmentOrder"),
    status: "OPEN",
    order: ret.order,
    thirdPartyConfirmation: null,
    reverseDeliveries: [] as Node[],
    lineItems: (ret.returnLineItems as Node[]).map((line) =>
      store.register({
        __typename: "ReverseFulfillmentOrderLineItem",
        id: store.gid("ReverseFulfillmentOrderLineItem"),
        fulfillmentLineItem: line.fulfillmentLineItem,
        totalQuantity: line.quantity,
        dispositions: [],
        _returnLineItem: line,
      }),
    ),
    _return: ret,
  });
  ret.reverseFulfillmentOrders.push(rfo);
}

/** A customer's request, waiting for the merchant (Shopify's returnRequest). */
export function requestReturn(
  store: EmulatedStore,
  order: Node,
  lines: ReturnLineRequest[],
  at = store.now(),
  options: ReturnOptions = {},
): Node {
  const created = buildReturn(store, order, lines, "REQUESTED", at, options);
  store.emitTopic("returns/request", created, at);
  return created;
}

/**
 * The shopper asks through Shopify's own self-serve returns in the customer account, outside
 * the app: Shopify creates the request and sends returns/request, with no fee of the app's.
 */
export function requestNativeReturn(
  store: EmulatedStore,
  order: Node,
  lines: ReturnLineRequest[],
  at = store.now(),
): Node {
  return requestReturn(store, order, lines, at, { source: "native" });
}

/** The request is withdrawn before anything was received (Shopify's returnCancel). */
export function cancelReturn(store: EmulatedStore, ret: Node, at = store.now()): void {
  if (!["REQUESTED", "OPEN"].includes(ret.status))
    throw new ReturnError(
      "INVALID_STATE",
      ["id"],
      `Return is not cancelable: its status is ${ret.status.toLowerCase()}.`,
    );
  if ((ret.returnLineItems as Node[]).some((l) => l.processedQuantity > 0))
    throw new ReturnError("INVALID_STATE", ["id"], "Return has processed items and cannot be canceled.");
  ret.status = "CANCELED";
  for (const rfo of ret.reverseFulfillmentOrders as Node[]) rfo.status = "CLOSED";
  store.emitTopic("returns/cancel", ret, at);
}

function expectStatus(ret: Node, status: string, action: string): void {
  if (ret.status !== status) {
    throw new ReturnError(
      "INVALID_STATE",
      ["id"],
      `Return is not ${action}: its status is ${ret.status.toLowerCase()}.`,
    );
  }
}

export function approveReturn(store: EmulatedStore, ret: Node, at = store.now()): void {
  expectStatus(ret, "REQUESTED", "approvable");
  ret.status = "OPEN";
  ret.requestApprovedAt = at.toISOString();
  openReverseFulfillment(store, ret);
  store.emitTopic("returns/approve", ret, at);
}

export function declineReturn(
  store: EmulatedStore,
  ret: Node,
  reason: string,
  note: string | null,
  at = store.now(),
): void {
  expectStatus(ret, "REQUESTED", "declinable");
  ret.status = "DECLINED";
  ret.decline = { reason, note };
  store.emitTopic("returns/decline", ret, at);
}

export function closeReturn(store: EmulatedStore, ret: Node, at = store.now()): void {
  expectStatus(ret, "OPEN", "closable");
  ret.status = "CLOSED";
  ret.closedAt = at.toISOString();
  for (const rfo of ret.reverseFulfillmentOrders as Node[]) rfo.status = "CLOSED";
  store.emitTopic("returns/close", ret, at);
}

/** The merchant attaches a prepaid label (and tracking) to the return's reverse fulfillment. */
export function attachReturnLabel(
  store: EmulatedStore,
  rfo: Node,
  label: { fileUrl?: string | null; trackingNumber?: string | null; trackingUrl?: string | null },
  at = store.now(),
): Node {
  if (rfo.status !== "OPEN")
    throw new ReturnError("INVALID_STATE", ["reverseFulfillmentOrderId"], "Reverse fulfillment order is not open.");
  const iso = at.toISOString();
  const delivery = store.register({
    __typename: "ReverseDelivery",
    id: store.gid("ReverseDelivery"),
    reverseFulfillmentOrder: rfo,
    deliverable: {
      __typename: "ReverseDeliveryShippingDeliverable",
      label: label.fileUrl ? { createdAt: iso, updatedAt: iso, publicFileUrl: label.fileUrl } : null,
      tracking: label.trackingNumber
        ? { number: label.trackingNumber, url: label.trackingUrl ?? null, carrierName: "FedEx" }
        : null,
    },
    reverseDeliveryLineItems: (rfo.lineItems as Node[]).map((line) => ({
      __typename: "ReverseDeliveryLineItem",
      id: store.gid("ReverseDeliveryLineItem"),
      reverseFulfillmentOrderLineItem: line,
      quantity: line.totalQuantity,
    })),
    _createdAt: iso,
  });
  rfo.reverseDeliveries.push(delivery);
  store.emitTopic("reverse_deliveries/attach_deliverable", delivery, at);
  return delivery;
}

/** Received and inspected: mark lines processed and refund what the merchant decides (Shopify's returnProcess). */
export function processReturn(
  store: EmulatedStore,
  ret: Node,
  lines: Array<{ returnLineItemId: string; quantity: number }>,
  refundCents: number | null,
  at = store.now(),
): Node {
  expectStatus(ret, "OPEN", "processable");
  const processed = lines.map(({ returnLineItemId, quantity }, index) => {
    const line = (ret.returnLineItems as Node[]).find((l) => l.id === returnLineItemId);
    if (!line)
      throw new ReturnError(
        "NOT_FOUND",
        ["input", "returnLineItems", String(index), "id"],
        "Return line item does not exist.",
      );
    if (quantity > line.unprocessedQuantity) {
      throw new ReturnError(
        "INVALID",
        ["input", "returnLineItems", String(index), "quantity"],
        "Quantity exceeds the unprocessed quantity.",
      );
    }
    line.processedQuantity += quantity;
    line.unprocessedQuantity -= quantity;
    line.processableQuantity -= quantity;
    return { line, quantity };
  });
  if (refundCents !== null) {
    const refund = refundOrder(store, ret.order, {
      at,
      amountCents: refundCents,
      lines: processed.map(({ line, quantity }) => ({ lineItem: line.fulfillmentLineItem.lineItem, quantity })),
      returnNode: ret,
    });
    ret.refunds.push(refund);
    for (const { line, quantity } of processed) {
      line.refundedQuantity += quantity;
      line.refundableQuantity -= quantity;
    }
  }
  if ((ret.returnLineItems as Node[]).every((l) => l.unprocessedQuantity === 0)) {
    ret.status = "CLOSED";
    ret.closedAt = at.toISOString();
    for (const rfo of ret.reverseFulfillmentOrders as Node[]) rfo.status = "CLOSED";
    store.emitTopic("returns/close", ret, at);
  }
  store.emitTopic("returns/process", ret, at);
  return ret;
}
