import type { Decision } from "../../policy";
import { QueueError } from "./queue-errors";
import { RETURN_DECLINE_REQUEST, RETURN_STATE_QUERY } from "./queue-documents";
import { ask, mutate, once, ownReturn, withOrders, withSaleFacts, type QueueContext } from "./queue-steps.server";
import { returnVerdict } from "./queue-verdict";
import { recordReturnChange } from "./return-record.server";

/** Shopify's ReturnDeclineReason (Admin API 2026-10). */
export type ShopifyDeclineReason = "FINAL_SALE" | "RETURN_PERIOD_ENDED" | "OTHER";

/** Shopify's note to the shopper holds at most 500 characters. */
const NOTE_LIMIT = 500;

/** The reason Shopify has for the rule that blocks the return, where it has one. */
export function declineReasonFor(decision: Decision | null): ShopifyDeclineReason {
  if (!decision) return "OTHER";
  if (decision.rule === "RET-2") return "FINAL_SALE";
  if (decision.code === "WINDOW_CLOSED" || decision.code === "WRONG_ITEM_WINDOW_CLOSED") return "RETURN_PERIOD_ENDED";
  return "OTHER";
}

export interface DeclinedReturn {
  returnId: string;
  reason: ShopifyDeclineReason;
  note: string;
  repeated: boolean;
}

/**
 * Decline a requested return (returnDeclineRequest, the shopper notified) with Shopify's
 * reason for the rule that blocks it and the policy's sentence as the note. Declining a
 * return the policy allows needs a note of staff's own.
 */
export async function declineReturn(
  ctx: QueueContext,
  returnId: string,
  input: { note?: string | null } = {},
): Promise<DeclinedReturn> {
  const shop = ctx.gateway.shop;
  const ret = await ownReturn(ctx.db, shop, returnId);
  if (ret.status === "declined")
    return {
      returnId,
      reason: (ret.declineReason as ShopifyDeclineReason | null) ?? "OTHER",
      note: ret.declineNote ?? "",
      repeated: true,
    };
  if (ret.status !== "requested")
    throw new QueueError(
      "INVALID_STATE",
      `This return is ${ret.status.replace("_", " ")}: it can no longer be declined.`,
    );
  const verdict = returnVerdict(await withSaleFacts(ctx, ret), ctx.settings);
  const own = input.note?.trim() ?? "";
  if (!own && verdict.eligible)
    throw new QueueError(
      "BAD_REQUEST",
      "The policy allows this return: write the shopper a note saying why it is declined.",
    );
  const note = own || `${verdict.blockedBy!.message.replace(/\.$/, "")} (${verdict.blockedBy!.rule}).`;
  if (note.length > NOTE_LIMIT)
    throw new QueueError("BAD_REQUEST", `The note is ${note.length} characters; Shopify takes at most ${NOTE_LIMIT}.`);
  const reason = declineReasonFor(verdict.blockedBy);

  const declinedAlready = async () => {
    const data = await ask<{ return: { status: string } | null }>(
      ctx.gateway,
      RETURN_STATE_QUERY,
      { id: returnId },
      "read the return",
    );
    return data.return?.status === "DECLINED" ? { declined: true } : null;
  };
  await once(
    ctx.db,
    shop,
    `decline:${returnId}`,
    ctx.now,
    async () => {
      await mutate(
        ctx.gateway,
        RETURN_DECLINE_REQUEST,
        { input: { id: returnId, declineReason: reason, declineNote: note, notifyCustomer: true } },
        "returnDeclineRequest",
        "decline the return",
      );
      return { declined: true };
    },
    declinedAlready,
  );
  await withOrders(ctx.db, shop, ctx.now, (orders) =>
    recordReturnChange(orders, {
      shop,
      returnId,
      status: "declined",
      kind: "return_declined",
      at: ctx.now,
      source: "app",
      data: { decidedAt: ctx.now, declineReason: reason, declineNote: note },
    }),
  );
  return { returnId, reason, note, repeated: false };
}
