import { randomBytes } from "node:crypto";
import type { ResolverMap } from "../graphql/execute";
import { cents, moneyBag } from "../money";
import type { EmulatedStore, Node } from "../store";
import { nodeOfType, type StoreContext } from "./shared";

/**
 * Shopify's draft orders as far as a repair quote needs them: draftOrderCreate with custom
 * (titled, priced) line items for a customer, and draftOrderInvoiceSend, which emails the
 * invoice and moves the draft from OPEN to INVOICE_SENT. userErrors as Shopify words them.
 */

type Args = Record<string, any>;
const userError = (field: string[] | null, message: string) => ({ field, message });

/** An invoice email the emulated Shopify sent. */
export interface SentInvoice {
  draftOrderId: string;
  to: string;
  subject: string | null;
  customMessage: string | null;
  at: Date;
}

interface DraftOrders {
  drafts: Node[];
  invoices: SentInvoice[];
}

const byStore = new WeakMap<EmulatedStore, DraftOrders>();

/** The store's draft orders and the invoices sent for them (for tests and the emulated admin). */
export function draftOrdersOf(store: EmulatedStore): DraftOrders {
  let found = byStore.get(store);
  if (!found) byStore.set(store, (found = { drafts: [], invoices: [] }));
  return found;
}

interface LineInput {
  title?: string | null;
  quantity: number;
  variantId?: string | null;
  originalUnitPriceWithCurrency?: { amount: string; currencyCode: string } | null;
  originalUnitPrice?: string | null;
  requiresShipping?: boolean | null;
  taxable?: boolean | null;
}

function lineErrors(lines: LineInput[], currency: string) {
  const errors: ReturnType<typeof userError>[] = [];
  if (!lines.length) errors.push(userError(["lineItems"], "Add at least 1 product"));
  lines.forEach((line, index) => {
    const field = ["lineItems", String(index)];
    if (line.quantity < 1) errors.push(userError([...field, "quantity"], "Quantity must be greater than 0"));
    if (!line.variantId && !line.title?.trim()) errors.push(userError([...field, "title"], "Title can't be blank"));
    const price = line.originalUnitPriceWithCurrency;
    if (price && price.currencyCode !== currency)
      errors.push(
        userError(
          [...field, "originalUnitPriceWithCurrency", "currencyCode"],
          "Currency code must match the draft order currency",
        ),
      );
    const amount = price?.amount ?? line.originalUnitPrice;
    if (amount != null && cents(String(amount)) < 0)
      errors.push(userError([...field, "originalUnitPrice"], "Original unit price must be greater than or equal to 0"));
  });
  return errors;
}

function createDraft(store: EmulatedStore, input: Args, domain: string) {
  const currency: string = input.presentmentCurrencyCode ?? store.currency;
  const lines: LineInput[] = input.lineItems ?? [];
  const errors = lineErrors(lines, currency);
  const customer = input.customerId ? nodeOfType(store, input.customerId, "Customer") : null;
  if (input.customerId && !customer) errors.push(userError(["customerId"], "Customer does not exist"));
  if (errors.length) return { draftOrder: null, userErrors: errors };

  const drafts = draftOrdersOf(store).drafts;
  const lineItems = lines.map((line) => {
    const unit = cents(String(line.originalUnitPriceWithCurrency?.amount ?? line.originalUnitPrice ?? "0"));
    return {
      __typename: "DraftOrderLineItem",
      id: store.gid("DraftOrderLineItem"),
      title: line.title ?? "",
      quantity: line.quantity,
      custom: !line.variantId,
      requiresShipping: line.requiresShipping ?? true,
      taxable: line.taxable ?? true,
      originalUnitPriceSet: moneyBag(unit, currency),
      originalTotalSet: moneyBag(unit * line.quantity, currency),
    };
  });
  const total = lineItems.reduce((sum, l) => sum + cents(l.originalTotalSet.shopMoney.amount), 0);
  const id = store.gid("DraftOrder");
  const draft = store.register({
    __typename: "DraftOrder",
    id,
    legacyResourceId: String(id.split("/").pop()),
    name: `#D${drafts.length + 1}`,
    status: "OPEN",
    email: input.email ?? customer?.email ?? null,
    note2: input.note ?? null,
    tags: input.tags ?? [],
    customer,
    currencyCode: currency,
    presentmentCurrencyCode: currency,
    lineItems: { nodes: lineItems },
    subtotalPriceSet: moneyBag(total, currency),
    totalPriceSet: moneyBag(total, currency),
    invoiceUrl: `https://${domain}/${store.shop.id.split("/").pop()}/invoices/${randomBytes(16).toString("hex")}`,
    invoiceSentAt: null,
    completedAt: null,
    order: null,
    createdAt: store.now().toISOString(),
    updatedAt: store.now().toISOString(),
  });
  drafts.push(draft);
  return { draftOrder: draft, userErrors: [] };
}

function sendInvoice(store: EmulatedStore, id: string, email: Args | null | undefined) {
  const draft = nodeOfType(store, id, "DraftOrder");
  if (!draft) return { draftOrder: null, userErrors: [userError(["id"], "Draft order does not exist")] };
  if (draft.status === "COMPLETED")
    return {
      draftOrder: null,
      userErrors: [userError(null, "Draft order Invoice can't be sent for a completed draft order")],
    };
  const to: string | null = email?.to ?? draft.email ?? null;
  if (!to) return { draftOrder: null, userErrors: [userError(["email", "to"], "To can't be blank")] };
  const at = store.now();
  draftOrdersOf(store).invoices.push({
    draftOrderId: draft.id,
    to,
    subject: email?.subject ?? null,
    customMessage: email?.customMessage ?? null,
    at,
  });
  Object.assign(draft, { status: "INVOICE_SENT", invoiceSentAt: at.toISOString(), updatedAt: at.toISOString() });
  return { draftOrder: draft, userErrors: [] };
}

export const draftOrderResolvers: ResolverMap = {
  Mutation: {
    draftOrderCreate: (_r, { input }: Args, { store }: StoreContext) => createDraft(store, input, store.domain),
    draftOrderInvoiceSend: (_r, { id, email }: Args, { store }: StoreContext) => sendInvoice(store, id, email),
  },
};

export function withDraftOrders(map: ResolverMap): ResolverMap {
  return { ...map, Mutation: { ...map.Mutation, ...draftOrderResolvers.Mutation } };
}
