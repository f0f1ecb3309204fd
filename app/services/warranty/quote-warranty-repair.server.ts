import { formatMoney, type Money } from "../../policy";
import { decimalAmount, repairQuoteProblem } from "../../policy/warranty-quote";
import { QueueError } from "../returns/queue-errors";
import type { QueueContext } from "../returns/queue-steps.server";
import { ActionInProgressError, onceOnly } from "../returns/shopify-action.server";
import { AdminGatewayError } from "../shopify/admin-gateway.server";
import { recordClaimEvent, requireOpen, shopClaim } from "./warranty-claim-record.server";
import { DRAFT_ORDER_CREATE_MUTATION, DRAFT_ORDER_INVOICE_SEND_MUTATION } from "./warranty-documents";

interface UserError {
  field: string[] | null;
  message: string;
}

interface DraftCreated {
  draftOrderCreate: {
    draftOrder: { id: string; name: string; status: string; invoiceUrl: string | null } | null;
    userErrors: UserError[];
  };
}

interface InvoiceSent {
  draftOrderInvoiceSend: {
    draftOrder: { id: string; status: string; invoiceSentAt: string | null; invoiceUrl: string | null } | null;
    userErrors: UserError[];
  };
}

export interface QuotedRepair {
  id: string;
  status: "repair_quoted";
  draftOrderId: string;
  draftOrderName: string | null;
  quote: Money;
  invoiceSentAt: string;
  sentTo: string | null;
}

const said = (errors: UserError[]) => errors.map((e) => e.message.replace(/\.?$/, ".")).join(" ");

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ActionInProgressError)
      throw new QueueError("IN_PROGRESS", "This quote is being sent right now; wait a moment and reload.");
    if (error instanceof AdminGatewayError)
      throw new QueueError(
        "SHOPIFY_UNAVAILABLE",
        "Shopify could not be reached; nothing more was sent. Send the quote again in a minute: it is safe to retry.",
      );
    throw error;
  }
}

/**
 * WAR-5: after examining the piece, staff quote a paid repair; the shopper gets it as a Shopify
 * draft order invoice (draftOrderCreate, then draftOrderInvoiceSend). Each Shopify step runs once
 * per claim (ShopifyAction): a double click or a retry sends one invoice, and a retry after a
 * refused invoice reuses the draft order already made.
 */
export async function quoteWarrantyRepair(
  ctx: QueueContext,
  id: string,
  quote: Money,
  by: string | null = null,
): Promise<QuotedRepair> {
  const shop = ctx.gateway.shop;
  const claim = await shopClaim(ctx.db, shop, id);
  const order = await ctx.db.order.findFirstOrThrow({ where: { id: claim.orderId, shop }, include: { lines: true } });
  const problem = repairQuoteProblem(quote, order.currency);
  if (problem) throw new QueueError("BAD_REQUEST", problem, "WAR-5");
  const sameQuote = claim.quoteCents === quote.amount && claim.quoteCurrency === quote.currency;
  // A retry of a quote already sent answers with it: one invoice, however often staff click.
  if (claim.status === "repair_quoted" && sameQuote && claim.draftOrderId && claim.invoiceSentAt)
    return {
      id: claim.id,
      status: "repair_quoted",
      draftOrderId: claim.draftOrderId,
      draftOrderName: null,
      quote,
      invoiceSentAt: claim.invoiceSentAt.toISOString(),
      sentTo: order.email,
    };
  requireOpen(claim);
  if (claim.draftOrderId && !sameQuote)
    throw new QueueError(
      "BAD_REQUEST",
      `A draft order for ${formatMoney({ amount: claim.quoteCents ?? 0, currency: claim.quoteCurrency ?? quote.currency })} was already made for this claim; send that quote again, or change the draft order in Shopify.`,
      "WAR-5",
    );
  const item = order.lines.find((l) => l.id === claim.orderLineId)?.title ?? "your piece";

  const draft = await call(() =>
    onceOnly(
      shop,
      `warranty-draft:${claim.id}`,
      async () => {
        const created = await ctx.gateway.request<DraftCreated>(DRAFT_ORDER_CREATE_MUTATION, {
          input: {
            customerId: claim.customerId,
            ...(order.email ? { email: order.email } : {}),
            lineItems: [
              {
                title: `Repair: ${item}`,
                quantity: 1,
                originalUnitPriceWithCurrency: { amount: decimalAmount(quote), currencyCode: quote.currency },
                requiresShipping: false,
              },
            ],
            note: `Paid repair (WAR-5) for warranty claim on ${order.name}: ${item}.`,
            tags: ["warranty-repair"],
          },
        });
        const { draftOrder, userErrors } = created.draftOrderCreate;
        if (userErrors.length || !draftOrder)
          throw new QueueError("SHOPIFY_USER_ERROR", `Shopify did not create the draft order: ${said(userErrors)}`);
        return { id: draftOrder.id, name: draftOrder.name, invoiceUrl: draftOrder.invoiceUrl };
      },
      { db: ctx.db, now: ctx.now },
    ),
  );
  if (!claim.draftOrderId) {
    await ctx.db.$transaction(async (tx) => {
      await tx.warrantyClaim.update({
        where: { id: claim.id },
        data: {
          draftOrderId: draft.id,
          invoiceUrl: draft.invoiceUrl,
          quoteCents: quote.amount,
          quoteCurrency: quote.currency,
        },
      });
      await recordClaimEvent(tx, claim, "warranty_repair_quoted", ctx.now, "staff");
    });
  }

  const sent = await call(() =>
    onceOnly(
      shop,
      `warranty-invoice:${claim.id}`,
      async () => {
        const answer = await ctx.gateway.request<InvoiceSent>(DRAFT_ORDER_INVOICE_SEND_MUTATION, {
          id: draft.id,
          email: {
            subject: `Your repair quote for ${item}`,
            customMessage: `After examining ${item}, the repair costs ${formatMoney(quote)}. Pay this invoice and we will repair it.`,
          },
        });
        const { draftOrder, userErrors } = answer.draftOrderInvoiceSend;
        if (userErrors.length || !draftOrder)
          throw new QueueError(
            "SHOPIFY_USER_ERROR",
            `Draft order ${draft.name} for ${formatMoney(quote)} was made, but Shopify did not send its invoice: ${said(userErrors)} Fix that in Shopify and send the quote again; the same draft order will be used.`,
          );
        return { invoiceSentAt: draftOrder.invoiceSentAt ?? ctx.now.toISOString(), invoiceUrl: draftOrder.invoiceUrl };
      },
      { db: ctx.db, now: ctx.now },
    ),
  );
  const sentAt = new Date(sent.invoiceSentAt);
  await ctx.db.$transaction(async (tx) => {
    await tx.warrantyClaim.updateMany({
      where: { id: claim.id, shop, status: "open" },
      data: {
        status: "repair_quoted",
        invoiceSentAt: sentAt,
        invoiceUrl: sent.invoiceUrl ?? draft.invoiceUrl,
        decidedAt: ctx.now,
        decidedBy: by,
      },
    });
    await recordClaimEvent(tx, claim, "warranty_invoice_sent", sentAt, "staff");
  });
  return {
    id: claim.id,
    status: "repair_quoted",
    draftOrderId: draft.id,
    draftOrderName: draft.name,
    quote,
    invoiceSentAt: sentAt.toISOString(),
    sentTo: order.email,
  };
}
