import { OrderCache } from "../orders/order-cache.server";
import { recordEvent } from "../orders/order-timeline.server";
import type { AdminGateway } from "../shopify/admin-gateway.server";
import { ShopifyRefusal } from "./claim-photos.server";
import { PortalError } from "./portal-errors";
import type { CancelledOrder } from "./portal-types";
import { loadReturnFacts, portalDb, portalGateway, unavailable, type PortalDeps } from "./return-facts.server";
import { cancellationOption } from "./return-options.server";
import { JOB_QUERY, ORDER_CANCEL_MUTATION } from "./returns-documents";
import { ActionInProgressError, runOnce } from "./shopify-action.server";

const CONTACT = "To ask about this order, reply to your order confirmation email and the store will help.";

interface CancelAnswer {
  orderCancel: {
    job: { id: string; done: boolean } | null;
    orderCancelUserErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

/** Shopify cancels in a job: ask a few times whether it is done (the order's webhook records it otherwise). */
async function jobDone(gateway: AdminGateway, jobId: string, polls = 3): Promise<boolean> {
  for (let i = 0; i < polls; i++) {
    const { job } = await gateway.request<{ job: { done: boolean } | null }>(JOB_QUERY, { id: jobId });
    if (job?.done) return true;
    await new Promise((resolve) => setTimeout(resolve, 250 * (i + 1)));
  }
  return false;
}

/**
 * CAN-1…3: inside the window and before anything shipped, the order is cancelled with
 * `orderCancel` (reason customer, restock, refund to the original payment methods, notify
 * the customer) and recorded on the timeline; outside it, a refusal that says why and how
 * to reach the store. A request in the window on a weekend or holiday is honoured (CAN-3).
 */
export async function cancelOrder(
  shop: string,
  customerId: string,
  orderId: string,
  now: Date,
  deps: PortalDeps = {},
): Promise<CancelledOrder> {
  const db = portalDb(deps);
  const facts = await loadReturnFacts(shop, customerId, orderId, deps);
  const decision = cancellationOption(facts, now);
  const previous = await db.shopifyAction.findUnique({ where: { shop_key: { shop, key: `cancel:${orderId}` } } });
  if (!decision.allowed && previous?.status !== "done") {
    const code = decision.code === "WINDOW_CLOSED" ? "WINDOW_CLOSED" : "NOT_CANCELLABLE";
    throw new PortalError(code, `${decision.message} ${CONTACT}`, undefined, decision.rule);
  }
  const processOn = decision.processOn;
  let outcome: { result: { jobId: string | null; done: boolean }; repeated: boolean };
  try {
    const gateway = await portalGateway(shop, deps);
    outcome = await runOnce(
      shop,
      `cancel:${orderId}`,
      async () => {
        const answer = await gateway.request<CancelAnswer>(ORDER_CANCEL_MUTATION, {
          orderId,
          staffNote: `Cancelled by the customer from the return portal${processOn ? `; process on ${processOn} (CAN-3)` : ""}.`,
        });
        const { job, orderCancelUserErrors: errors } = answer.orderCancel;
        if (errors.length) throw new ShopifyRefusal(errors, "cancel the order");
        const done = job ? await jobDone(gateway, job.id) : false;
        if (done)
          await db.$transaction(async (tx) => {
            const orders = new OrderCache(tx, now).forShop(shop);
            // The request's time; Shopify's own cancelledAt (orders/cancelled) replaces it if earlier.
            await recordEvent(orders, orderId, "cancelled", "", now, "portal");
            await orders.flush();
            await tx.order.update({ where: { id: orderId }, data: { cancelledAt: now } });
          });
        return { jobId: job?.id ?? null, done };
      },
      { db, now },
    );
  } catch (error) {
    if (error instanceof ActionInProgressError)
      throw new PortalError("IN_PROGRESS", "Your cancellation is already being sent; it will show here in a moment.");
    if (error instanceof ShopifyRefusal)
      throw new PortalError("NOT_CANCELLABLE", `${error.message} ${CONTACT}`, undefined, "CAN-2");
    throw unavailable(error);
  }
  const { jobId, done } = outcome.result;
  return {
    orderId,
    orderName: facts.order.name,
    requestedAt: now,
    jobId,
    processOn,
    rule: decision.allowed ? decision.rule : "CAN-1",
    message: done
      ? processOn && decision.rule === "CAN-3"
        ? `Your order is cancelled; the store processes it on ${processOn}, the next business day (CAN-3). The refund goes to your original payment method.`
        : "Your order is cancelled. The refund goes to your original payment method."
      : "Your cancellation is being processed; the refund goes to your original payment method.",
    repeated: outcome.repeated,
  };
}
