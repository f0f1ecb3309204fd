import {
  cancellationDecision,
  CLAIM_REASONS,
  lineReturnEligibility,
  multiply,
  quoteRefund,
  type Decision,
  type ReturnOrderFacts,
} from "../../policy";
import { followingDates, noLabelFeeReason, shopperSentence } from "../../policy/return-dates";
import type {
  CancellationOption,
  LineOptions,
  ReasonVerdict,
  RefundPreview,
  ReturnOptions,
  ReturnReason,
  Verdict,
} from "./portal-types";
import { RETURN_REASONS } from "./portal-types";
import { withRule } from "./portal-errors";
import { holdsUnits, loadReturnFacts, type OrderReturnFacts, type PortalDeps } from "./return-facts.server";
import { statusView } from "./return-status.server";

/** Units of each line still held by no other return (stored returns; Shopify is asked again at request time). */
export function storedReturnable(facts: OrderReturnFacts): Map<string, number> {
  const held = new Map<string, number>();
  for (const ret of facts.order.returns.filter(holdsUnits))
    for (const line of ret.lines) held.set(line.orderLineId, (held.get(line.orderLineId) ?? 0) + line.quantity);
  // Before delivery RET-1 says why nothing can be returned yet; Shopify counts fulfilled units at request time.
  return new Map(facts.lines.map((l) => [l.lineId, Math.max(0, l.quantity - (held.get(l.lineId) ?? 0))]));
}

const verdictOf = (decision: Decision, message: string): Verdict => ({
  allowed: decision.allowed,
  rule: decision.rule,
  code: decision.code,
  message,
});

/** Each line's verdict for each reason, the refund previews and the dates, at `now`. */
export function optionsFromFacts(
  facts: OrderReturnFacts,
  now: Date,
  returnable: Map<string, number> = storedReturnable(facts),
): Omit<ReturnOptions, "returns"> {
  const { order, settings } = facts;
  const policyOrder: ReturnOrderFacts = {
    deliveredAt: facts.deliveredAt,
    customerHasAccount: Boolean(order.customerId),
    cancelled: facts.cancelledAt !== null,
    payments: facts.payments,
  };
  const windows = new Map<ReturnReason, Date | null>();
  const lines: LineOptions[] = facts.lines.map((line) => {
    const returnableQuantity = returnable.get(line.lineId) ?? 0;
    const reasons = RETURN_REASONS.map((reason): ReasonVerdict => {
      const eligibility = lineReturnEligibility(
        policyOrder,
        { ...line, returnableQuantity },
        { requestedAt: now, reason, resolution: "refund" },
        settings,
      );
      windows.set(reason, eligibility.windowEndsAt);
      const context = { deliveredAt: facts.deliveredAt, windowEndsAt: eligibility.windowEndsAt, now };
      const blockedBy = eligibility.eligible
        ? []
        : eligibility.decisions.map((d) => verdictOf(d, shopperSentence(d, context, settings)));
      const first = eligibility.decisions[0]!;
      return {
        ...verdictOf(first, eligibility.eligible ? withRule(first.message, first.rule) : blockedBy[0]!.message),
        reason,
        blockedBy,
        windowEndsAt: eligibility.windowEndsAt,
        photoRequired: reason === "wrong_item" || reason === "damaged",
      };
    });
    return {
      lineId: line.lineId,
      title: line.title,
      quantity: line.quantity,
      returnableQuantity,
      unitPrice: line.unitPrice,
      unitTax: line.unitTax,
      reasons,
      returnable: reasons.some((r) => r.allowed),
    };
  });

  const refundPreviews = RETURN_REASONS.flatMap((reason) => {
    const allowed = lines.filter((l) => l.reasons.find((r) => r.reason === reason)!.allowed);
    if (!allowed.length) return [];
    return [
      refundPreview(
        facts,
        reason,
        allowed.map((l) => ({ lineId: l.lineId, quantity: l.returnableQuantity })),
      ),
    ];
  });

  const dates = followingDates(now, facts.deliveredAt, settings);
  const cancellation = cancellationOption(facts, now);
  return {
    orderId: order.id,
    orderName: order.name,
    currency: order.currency,
    placedAt: order.processedAt,
    deliveredAt: facts.deliveredAt,
    lines,
    windowEndsAt: facts.deliveredAt ? (windows.get("change_of_mind") ?? null) : null,
    claimWindowEndsAt: facts.deliveredAt ? (windows.get("wrong_item") ?? null) : null,
    refundPreviews,
    dates: {
      labelVoidsAtIfIssuedNow: dates.labelVoidsAt,
      labelVoidBusinessDays: settings.returns.labelVoidBusinessDays,
      arrivalBy: dates.arrivalBy,
      claimAnswerByIfReportedNow: dates.claimAnswerBy,
      notes: [
        `A prepaid label voids ${settings.returns.labelVoidBusinessDays} business days after it is issued; ship the package before then (RET-6).`,
        ...(dates.arrivalBy ? ["The package must reach the store by the arrival date shown (RET-12)."] : []),
        `A wrong item is answered within ${settings.returns.wrongItem.answerHours} hours (RET-9).`,
      ],
    },
    cancellation,
    actions: {
      requestReturn: lines.some((l) => l.reasons.find((r) => r.reason === "change_of_mind")!.allowed),
      reportProblem: lines.some((l) => l.reasons.some((r) => r.allowed && CLAIM_REASONS.includes(r.reason))),
      cancel: cancellation.allowed,
    },
  };
}

/** quoteRefund for the lines and reason, before anything is received: merchandise, tax, the RET-7 fee or why none. */
export function refundPreview(
  facts: OrderReturnFacts,
  reason: ReturnReason,
  chosen: ReadonlyArray<{ lineId: string; quantity: number }>,
): RefundPreview {
  const { settings } = facts;
  const lines = chosen.map(({ lineId, quantity }) => {
    const line = facts.lines.find((l) => l.lineId === lineId)!;
    return { lineId, quantity, unitPrice: line.unitPrice, tax: multiply(line.unitTax, quantity) };
  });
  const prepaid = settings.returns.prepaidLabel;
  const quote = quoteRefund(
    {
      reason,
      lines,
      orderReceivedFreeShipping: facts.freeShipping,
      labelsUsed: prepaid ? 1 : 0,
      shippedByCustomer: !prepaid,
      received: false,
      lostInTransit: false,
      inspection: "pending",
    },
    settings,
  );
  const none = quote.fees.length
    ? null
    : noLabelFeeReason(
        { reason, orderReceivedFreeShipping: facts.freeShipping, unitPrices: lines.map((l) => l.unitPrice) },
        settings,
      );
  return {
    reason,
    merchandise: quote.merchandise,
    tax: quote.tax,
    fees: quote.fees,
    noFeeReason: none ? verdictOf(none, withRule(none.message, none.rule)) : null,
    shippingRefunded: quote.shippingRefunded,
    shippingNote: "The original shipping charge is not refunded (RET-7).",
    total: quote.total,
    refundNote: `Refunded to your original payment method after the item is received and inspected; it shows in ${settings.returns.refundBusinessDays.min}–${settings.returns.refundBusinessDays.max} business days (RET-8).`,
  };
}

export function cancellationOption(facts: OrderReturnFacts, now: Date): CancellationOption {
  const decision = cancellationDecision(
    {
      confirmedAt: facts.order.processedAt,
      requestedAt: now,
      anyItemFulfilled:
        facts.shippedAt !== null || ["fulfilled", "partial"].includes(facts.order.fulfillmentStatus ?? ""),
      alreadyCancelled: facts.cancelledAt !== null,
    },
    facts.settings,
  );
  return {
    ...verdictOf(decision, withRule(decision.message, decision.rule)),
    until: decision.windowEndsAt,
    processOn: decision.processOn ?? null,
  };
}

/** What the shopper can do with one of their orders, answered from the facts the app keeps. */
export async function returnOptions(
  shop: string,
  customerId: string,
  orderId: string,
  now: Date,
  deps: PortalDeps = {},
): Promise<ReturnOptions> {
  const facts = await loadReturnFacts(shop, customerId, orderId, deps);
  return {
    ...optionsFromFacts(facts, now),
    returns: facts.order.returns
      .sort((a, b) => +b.requestedAt - +a.requestedAt)
      .map((ret) => statusView(ret, facts.order, facts.settings, now)),
  };
}
