import { hoursWindowEnd } from "../../policy";
import { QueueError } from "./queue-errors";
import { ownReturn, withOrders, type QueueContext } from "./queue-steps.server";
import { returnDeadlineKey, settleReturnDeadline } from "./return-record.server";

export interface AnsweredClaim {
  returnId: string;
  answer: string;
  answeredAt: Date;
  /** RET-9: the answer was due by this moment (24 hours after the report by default). */
  dueAt: Date;
  withinClock: boolean;
}

const ANSWER_LIMIT = 2_000;

/**
 * RET-9: the store's resolution of a wrong-item report, recorded against the 24-hour clock.
 * The first answer's time is what the clock measures; a corrected wording keeps it. The claim
 * can still be approved as a return (approveReturn) or declined afterwards.
 */
export async function answerClaim(ctx: QueueContext, returnId: string, answer: string): Promise<AnsweredClaim> {
  const shop = ctx.gateway.shop;
  const ret = await ownReturn(ctx.db, shop, returnId);
  if (ret.reason !== "wrong_item")
    throw new QueueError(
      "INVALID_STATE",
      "Only a wrong-item report is answered this way; approve or decline this return.",
    );
  const text = answer.trim();
  if (!text) throw new QueueError("BAD_REQUEST", "Write the store's answer to the shopper's report.");
  if (text.length > ANSWER_LIMIT)
    throw new QueueError("BAD_REQUEST", `The answer is ${text.length} characters; keep it under ${ANSWER_LIMIT}.`);
  const dueAt = hoursWindowEnd(ret.requestedAt, ctx.settings.returns.wrongItem.answerHours);
  const answeredAt = ret.answeredAt ?? ctx.now;
  await withOrders(ctx.db, shop, ctx.now, async (orders) => {
    await orders.tx.return.updateMany({ where: { id: returnId, shop }, data: { answer: text, answeredAt } });
    await settleReturnDeadline(orders, ret.orderId, returnDeadlineKey("return_answer", returnId));
  });
  return { returnId, answer: text, answeredAt, dueAt, withinClock: answeredAt <= dueAt };
}
