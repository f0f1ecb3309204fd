import { QueueError } from "./queue-errors";
import { ownReturn, withOrders, type QueueContext } from "./queue-steps.server";
import { recordReturnChange, returnDeadlineKey, settleReturnDeadline } from "./return-record.server";

export interface ReceivedReturn {
  returnId: string;
  receivedAt: Date;
  repeated: boolean;
}

const RECEIVABLE = new Set(["approved", "in_transit"]);
const RECEIVED_OR_LATER = new Set(["received", "inspected", "refunded", "closed"]);

/**
 * The package reached the store: recorded at the moment staff say so, which stops RET-12's
 * arrival clock and opens the inspection (RET-5). Receiving twice keeps the first moment.
 */
export async function receiveReturn(ctx: QueueContext, returnId: string): Promise<ReceivedReturn> {
  const shop = ctx.gateway.shop;
  const ret = await ownReturn(ctx.db, shop, returnId);
  if (RECEIVED_OR_LATER.has(ret.status) && ret.receivedAt)
    return { returnId, receivedAt: ret.receivedAt, repeated: true };
  if (ret.status === "rejected")
    throw new QueueError(
      "INVALID_STATE",
      "This package was shipped after its label voided: it is rejected (RET-6) and is not received for a refund.",
      "RET-6",
    );
  if (!RECEIVABLE.has(ret.status))
    throw new QueueError(
      "INVALID_STATE",
      `This return is ${ret.status.replace("_", " ")}: only an approved return's package is received.`,
    );
  await withOrders(ctx.db, shop, ctx.now, async (orders) => {
    await recordReturnChange(orders, {
      shop,
      returnId,
      status: "received",
      kind: "return_received",
      at: ctx.now,
      source: "app",
      data: { receivedAt: ctx.now },
    });
    await settleReturnDeadline(orders, ret.orderId, returnDeadlineKey("return_arrival", returnId));
  });
  return { returnId, receivedAt: ctx.now, repeated: false };
}
