import type { ResolverMap } from "../graphql/execute";
import { setAvailable } from "../actions/catalog";
import { transaction, refundOrder } from "../actions/orders";
import { approveReturn, closeReturn, declineReturn, ReturnError } from "../actions/returns";
import { cents } from "../money";
import type { EmulatedStore, Node } from "../store";
import { nodeOfType, type StoreContext } from "./shared";

/**
 * The merchant's side of Shopify's returns: approve, decline, cancel, dispose of returned
 * items (restock), process (refund) and close, with Shopify's states and userErrors.
 */

type Args = Record<string, any>;
const userError = (field: string[], message: string, code: string) => ({ field, message, code });

function payload<K extends string>(key: K, run: () => Node | Node[]) {
  try {
    return { [key]: run(), userErrors: [] };
  } catch (error) {
    if (error instanceof ReturnError)
      return { [key]: null, userErrors: [userError(error.field, error.message, error.code)] };
    throw error;
  }
}

function requireReturn(store: EmulatedStore, id: string, field: string[]): Node {
  const ret = nodeOfType(store, id, "Return");
  if (!ret) throw new ReturnError("NOT_FOUND", field, "Return does not exist.");
  return ret;
}

const disposed = (line: Node) => (line.dispositions as Node[]).reduce((sum, d) => sum + d.quantity, 0);

interface Disposition {
  reverseFulfillmentOrderLineItemId: string;
  quantity: number;
  dispositionType: "RESTOCKED" | "NOT_RESTOCKED" | "PROCESSING_REQUIRED" | "MISSING";
  locationId?: string | null;
}

/** Checks every disposition first, then applies them all: a refused batch changes nothing. */
function dispose(store: EmulatedStore, inputs: Disposition[], path: string[], at = store.now()): Node[] {
  const checked = inputs.map((input, index) => {
    const field = [...path, String(index)];
    const line = nodeOfType(store, input.reverseFulfillmentOrderLineItemId, "ReverseFulfillmentOrderLineItem");
    if (!line)
      throw new ReturnError(
        "NOT_FOUND",
        [...field, "reverseFulfillmentOrderLineItemId"],
        "Reverse fulfillment order line item does not exist.",
      );
    if (input.quantity <= 0)
      throw new ReturnError("GREATER_THAN", [...field, "quantity"], "Quantity must be greater than 0.");
    const already = inputs
      .slice(0, index)
      .filter((i) => i.reverseFulfillmentOrderLineItemId === line.id)
      .reduce((sum, i) => sum + i.quantity, 0);
    if (input.quantity + already + disposed(line) > line.totalQuantity)
      throw new ReturnError("INVALID", [...field, "quantity"], "Quantity exceeds the quantity left to dispose.");
    let location: Node | null = null;
    if (input.dispositionType === "RESTOCKED") {
      if (!input.locationId)
        throw new ReturnError("BLANK", [...field, "locationId"], "Location is required when restocking.");
      location = nodeOfType(store, input.locationId, "Location");
      if (!location) throw new ReturnError("NOT_FOUND", [...field, "locationId"], "Location does not exist.");
    }
    return { input, line, location };
  });
  for (const { input, line, location } of checked) {
    line.dispositions.push(
      store.register({
        __typename: "ReverseFulfillmentOrderDisposition",
        id: store.gid("ReverseFulfillmentOrderDisposition"),
        createdAt: at.toISOString(),
        quantity: input.quantity,
        type: input.dispositionType,
        location,
      }),
    );
    if (location) {
      const item = line.fulfillmentLineItem.lineItem.variant?.inventoryItem as Node | undefined;
      const level = (item?.inventoryLevels as Node[] | undefined)?.find((l) => l.location === location);
      if (level) setAvailable(store, level, level._quantities.available + input.quantity);
    }
  }
  return [...new Set(checked.map((c) => c.line))];
}

/** The order's successful SALE/CAPTURE a refund may go back to, and how much it can still take. */
function refundableOf(order: Node, parentId: string, field: string[]): { parent: Node; left: number } {
  const parent = (order.transactions as Node[]).find((t) => t.id === parentId);
  if (!parent || parent.status !== "SUCCESS" || !["SALE", "CAPTURE"].includes(parent.kind))
    throw new ReturnError("INVALID", field, "The transaction must be of kind CAPTURE or a SALE.");
  const refunded = (order.transactions as Node[])
    .filter((t) => t.kind === "REFUND" && t.status === "SUCCESS" && t.parentTransaction === parent)
    .reduce((sum, t) => sum + cents(t.amountSet.shopMoney.amount), 0);
  return { parent, left: cents(parent.amountSet.shopMoney.amount) - refunded };
}

/** Shopify's returnProcess: confirm returned quantities, dispose of them, refund to the given transactions. */
function processReturn(store: EmulatedStore, input: Args): Node {
  const ret = requireReturn(store, input.returnId, ["input", "returnId"]);
  if (ret.status !== "OPEN")
    throw new ReturnError("INVALID_STATE", ["input", "returnId"], "Return must be open to be processed.");
  const lines = ((input.returnLineItems ?? []) as Args[]).map((entry, index) => {
    const line = (ret.returnLineItems as Node[]).find((l) => l.id === entry.id);
    if (!line)
      throw new ReturnError(
        "NOT_FOUND",
        ["input", "returnLineItems", String(index), "id"],
        "Return line item does not exist.",
      );
    if (entry.quantity <= 0 || entry.quantity > line.processableQuantity)
      throw new ReturnError(
        "INVALID",
        ["input", "returnLineItems", String(index), "quantity"],
        "Quantity must be greater than 0 and at most the processable quantity.",
      );
    return { line, quantity: entry.quantity as number, dispositions: (entry.dispositions ?? []) as Disposition[] };
  });
  const transfers = ((input.financialTransfer?.issueRefund?.orderTransactions ?? []) as Args[]).map((t, index) => {
    const field = ["input", "financialTransfer", "issueRefund", "orderTransactions", String(index)];
    const { parent, left } = refundableOf(ret.order, t.parentId, [...field, "parentId"]);
    const amount = cents(t.transactionAmount.amount);
    if (amount <= 0)
      throw new ReturnError("GREATER_THAN", [...field, "transactionAmount"], "Amount must be greater than 0.");
    if (amount > left && !input.financialTransfer.issueRefund.allowOverRefunding)
      throw new ReturnError("INVALID", [...field, "transactionAmount"], "Amount exceeds the refundable amount.");
    return { parent, amount };
  });
  const at = store.now();
  for (const { dispositions } of lines)
    if (dispositions.length) dispose(store, dispositions, ["input", "dispositions"], at);
  for (const { line, quantity } of lines) {
    line.processedQuantity += quantity;
    line.unprocessedQuantity -= quantity;
    line.processableQuantity -= quantity;
  }
  if (transfers.length) {
    const refund = refundOrder(store, ret.order, {
      at,
      amountCents: 0,
      lines: lines.map(({ line, quantity }) => ({ lineItem: line.fulfillmentLineItem.lineItem, quantity })),
      returnNode: ret,
    });
    for (const { parent, amount } of transfers)
      refund.transactions.push(
        transaction(store, ret.order, "REFUND", { kind: parent._paymentKind, status: "SUCCESS" }, amount, at, parent),
      );
    refund.totalRefundedSet = store.money(transfers.reduce((sum, t) => sum + t.amount, 0));
    ret.refunds.push(refund);
    for (const { line, quantity } of lines) {
      line.refundedQuantity += quantity;
      line.refundableQuantity -= quantity;
    }
  }
  store.emitTopic("returns/process", ret, at);
  // Every item processed: Shopify closes the return.
  if ((ret.returnLineItems as Node[]).every((l) => l.unprocessedQuantity === 0)) closeReturn(store, ret, at);
  return ret;
}

/** Cancelling is only possible before any work was done on the return (disposition or refund). */
export function cancelReturn(store: EmulatedStore, id: string): Node {
  const ret = requireReturn(store, id, ["id"]);
  const worked =
    (ret.refunds as Node[]).length > 0 ||
    (ret.reverseFulfillmentOrders as Node[]).some((rfo) => (rfo.lineItems as Node[]).some((l) => disposed(l) > 0));
  if (!["REQUESTED", "OPEN"].includes(ret.status) || worked)
    throw new ReturnError("INVALID_STATE", ["id"], "Return can't be canceled because it has already been processed.");
  ret.status = "CANCELED";
  for (const rfo of ret.reverseFulfillmentOrders as Node[]) rfo.status = "CLOSED";
  store.emitTopic("returns/cancel", ret);
  return ret;
}

export const returnQueueResolvers: ResolverMap = {
  Mutation: {
    returnApproveRequest: (_r, { input }: Args, { store }: StoreContext) =>
      payload("return", () => {
        const ret = requireReturn(store, input.id, ["input", "id"]);
        approveReturn(store, ret);
        return ret;
      }),
    returnDeclineRequest: (_r, { input }: Args, { store }: StoreContext) =>
      payload("return", () => {
        const ret = requireReturn(store, input.id, ["input", "id"]);
        if ((input.declineNote ?? "").length > 500)
          throw new ReturnError(
            "TOO_LONG",
            ["input", "declineNote"],
            "Decline note is too long (maximum is 500 characters).",
          );
        declineReturn(store, ret, input.declineReason, input.declineNote ?? null);
        return ret;
      }),
    returnCancel: (_r, { id }: Args, { store }: StoreContext) => payload("return", () => cancelReturn(store, id)),
    reverseFulfillmentOrderDispose: (_r, { dispositionInputs }: Args, { store }: StoreContext) =>
      payload("reverseFulfillmentOrderLineItems", () => dispose(store, dispositionInputs, ["dispositionInputs"])),
    returnProcess: (_r, { input }: Args, { store }: StoreContext) =>
      payload("return", () => processReturn(store, input)),
    returnClose: (_r, { id }: Args, { store }: StoreContext) =>
      payload("return", () => {
        const ret = requireReturn(store, id, ["id"]);
        closeReturn(store, ret);
        return ret;
      }),
  },
};

/** The emulator's resolver map with these mutations in it (they replace any earlier ones of the same name). */
export function withReturnQueue(map: ResolverMap): ResolverMap {
  return { ...map, Mutation: { ...map.Mutation, ...returnQueueResolvers.Mutation } };
}
