import { QueueError } from "./queue-errors";
import { RETURN_APPROVE_REQUEST, RETURN_STATE_QUERY } from "./queue-documents";
import { ask, mutate, once, ownReturn, withOrders, withSaleFacts, type QueueContext } from "./queue-steps.server";
import { returnVerdict } from "./queue-verdict";
import { recordReturnChange, type ShopifyReturnStatus } from "./return-record.server";

/**
 * The labels service's entry point (app/services/labels): buys the RET-6 return label from
 * the carrier, uploads it to Shopify with the tracking number and records it with its void
 * moment. Approving calls it when one is given; it must be once-only per return itself.
 */
export type IssueLabel = (input: { shop: string; returnId: string; now: Date }) => Promise<IssuedLabel>;

export interface IssuedLabel {
  trackingNumber: string | null;
  voidsAt: Date;
}

export type LabelOutcome =
  | { state: "issued"; trackingNumber: string | null; voidsAt: Date }
  | { state: "failed"; message: string }
  | { state: "not_sent"; message: string };

export interface ApprovedReturn {
  returnId: string;
  /** True when the return was approved before (double click, retry, approved in Shopify). */
  repeated: boolean;
  label: LabelOutcome;
}

interface ShopifyState {
  status: ShopifyReturnStatus;
  requestApprovedAt: string | null;
}

type ReturnStatePayload = { return: ShopifyState | null };

/** States in which a return has been approved (whatever happened since). */
const APPROVED_OR_LATER = new Set(["approved", "in_transit", "received", "inspected", "refunded", "closed"]);

async function shopifyState(ctx: QueueContext, id: string): Promise<ShopifyState | null> {
  const data = await ask<ReturnStatePayload>(ctx.gateway, RETURN_STATE_QUERY, { id }, "read the return");
  return data.return;
}

/** Approves in Shopify once; an approval Shopify already holds (made elsewhere, or a lost answer) counts. */
async function approveInShopify(ctx: QueueContext, id: string): Promise<ShopifyState> {
  const approvedAlready = async () => {
    const state = await shopifyState(ctx, id);
    return state && (state.status === "OPEN" || state.status === "CLOSED") ? state : null;
  };
  return once(
    ctx.db,
    ctx.gateway.shop,
    `approve:${id}`,
    ctx.now,
    async () => {
      try {
        const payload = await mutate<{ return: ShopifyState | null; userErrors: [] }>(
          ctx.gateway,
          RETURN_APPROVE_REQUEST,
          { input: { id, notifyCustomer: true } },
          "returnApproveRequest",
          "approve the return",
        );
        return { status: payload.return!.status, requestApprovedAt: payload.return!.requestApprovedAt };
      } catch (error) {
        if (error instanceof QueueError && error.code === "SHOPIFY_USER_ERROR") {
          const state = await approvedAlready();
          if (state) return state;
        }
        throw error;
      }
    },
    approvedAlready,
  );
}

async function sendLabel(ctx: QueueContext, returnId: string, issueLabel?: IssueLabel): Promise<LabelOutcome> {
  if (!issueLabel)
    return {
      state: "not_sent",
      message: "Approved. No carrier is configured, so no label was bought: upload a label for the shopper.",
    };
  try {
    const label = await issueLabel({ shop: ctx.gateway.shop, returnId, now: ctx.now });
    return { state: "issued", trackingNumber: label.trackingNumber, voidsAt: label.voidsAt };
  } catch (error) {
    return {
      state: "failed",
      message: `Approved in Shopify, but the label could not be bought: ${(error as Error).message} Send the label again from this return.`,
    };
  }
}

/**
 * Approve a requested return (returnApproveRequest, the shopper notified) and send its
 * prepaid label. A second approval changes nothing in Shopify; a return approved without
 * a label (the carrier failed) gets its label on the next try.
 */
export async function approveReturn(
  ctx: QueueContext,
  returnId: string,
  options: { issueLabel?: IssueLabel } = {},
): Promise<ApprovedReturn> {
  const shop = ctx.gateway.shop;
  const ret = await ownReturn(ctx.db, shop, returnId);
  if (APPROVED_OR_LATER.has(ret.status)) {
    const needsLabel = ret.status === "approved" && ret.labels.every((l) => l.status === "voided");
    const label: LabelOutcome = needsLabel
      ? await sendLabel(ctx, returnId, options.issueLabel)
      : { state: "not_sent", message: "This return was approved already." };
    return { returnId, repeated: true, label };
  }
  if (ret.status !== "requested")
    throw new QueueError(
      "INVALID_STATE",
      `This return is ${ret.status.replace("_", " ")}: it can no longer be approved.`,
    );
  const state = await approveInShopify(ctx, returnId);
  const approvedAt = state.requestApprovedAt ? new Date(state.requestApprovedAt) : ctx.now;
  await withOrders(ctx.db, shop, ctx.now, (orders) =>
    recordReturnChange(orders, {
      shop,
      returnId,
      status: "approved",
      kind: "return_approved",
      at: approvedAt,
      source: "app",
      data: { decidedAt: approvedAt },
    }),
  );
  return { returnId, repeated: false, label: await sendLabel(ctx, returnId, options.issueLabel) };
}

export interface BulkApproval {
  approved: string[];
  /** Returns left for staff to decide, each with why. */
  skipped: Array<{ returnId: string; why: string }>;
  failed: Array<{ returnId: string; message: string }>;
}

/** Whether a return may be approved without a person looking: an eligible change-of-mind request. */
async function approvableUnattended(ctx: QueueContext, returnId: string): Promise<string | null> {
  const ret = await ownReturn(ctx.db, ctx.gateway.shop, returnId);
  if (ret.status !== "requested") return `it is ${ret.status.replace("_", " ")}`;
  if (ret.reason !== "change_of_mind") return "claims are decided one by one";
  const verdict = returnVerdict(await withSaleFacts(ctx, ret), ctx.settings);
  if (!verdict.eligible) return `${verdict.blockedBy!.message.replace(/\.$/, "")} (${verdict.blockedBy!.rule})`;
  return null;
}

/** Bulk approve: each eligible change-of-mind return is approved; the others are left, with why. */
export async function approveReturns(
  ctx: QueueContext,
  returnIds: readonly string[],
  options: { issueLabel?: IssueLabel } = {},
): Promise<BulkApproval> {
  const result: BulkApproval = { approved: [], skipped: [], failed: [] };
  for (const returnId of new Set(returnIds)) {
    try {
      const why = await approvableUnattended(ctx, returnId);
      if (why) {
        result.skipped.push({ returnId, why });
        continue;
      }
      await approveReturn(ctx, returnId, options);
      result.approved.push(returnId);
    } catch (error) {
      if (!(error instanceof QueueError)) throw error;
      result.failed.push({ returnId, message: error.message });
    }
  }
  return result;
}

/**
 * `returns.autoApprove`: called when a return is recorded as requested. An eligible
 * change-of-mind return is approved at once; anything else waits for staff. Returns
 * whether it approved.
 */
export async function autoApproveReturn(
  ctx: QueueContext,
  returnId: string,
  options: { issueLabel?: IssueLabel } = {},
): Promise<boolean> {
  if (!ctx.settings.returns.autoApprove) return false;
  if (await approvableUnattended(ctx, returnId)) return false;
  await approveReturn(ctx, returnId, options);
  return true;
}
