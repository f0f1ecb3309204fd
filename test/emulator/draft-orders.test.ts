import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DRAFT_ORDER_CREATE_MUTATION,
  DRAFT_ORDER_INVOICE_SEND_MUTATION,
} from "../../app/services/warranty/warranty-documents";
import { createStore, shopper } from "./builders";
import { draftOrdersOf } from "./resolvers/draft-orders";
import { startEmulator, type Emulator } from "./server";
import type { EmulatedStore, Node } from "./store";

let emulator: Emulator;
let store: EmulatedStore;
let token: string;
let maya: Node;
const gql = (query: string, variables?: Record<string, unknown>) => emulator.graphql(query, variables, token);
const line = (amount: string, currencyCode = "USD") => ({
  title: "Repair: ring",
  quantity: 1,
  originalUnitPriceWithCurrency: { amount, currencyCode },
  requiresShipping: false,
});

beforeAll(async () => {
  store = createStore();
  maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
  emulator = await startEmulator({
    store,
    app: {
      apiKey: "key",
      secret: "secret",
      title: "Policy Guard",
      handle: "policy-guard",
      appUrl: "http://127.0.0.1:1",
    },
  });
  token = emulator.installToken();
});
afterAll(() => emulator.close());

describe("store emulator: draft orders as a repair quote uses them", () => {
  it("creates an OPEN draft for the customer with a custom priced line; the invoice email moves it to INVOICE_SENT", async () => {
    store.setClock(new Date("2026-12-01T17:00:00Z"));
    const created = await gql(DRAFT_ORDER_CREATE_MUTATION, {
      input: { customerId: maya.id, lineItems: [line("85.00")] },
    });
    const draft = created.data.draftOrderCreate.draftOrder;
    expect(created.data.draftOrderCreate.userErrors).toEqual([]);
    expect(draft).toMatchObject({
      status: "OPEN",
      totalPriceSet: { shopMoney: { amount: "85.00", currencyCode: "USD" } },
    });
    expect(draft.invoiceUrl).toMatch(/\/invoices\/[0-9a-f]{32}$/);
    const sent = await gql(DRAFT_ORDER_INVOICE_SEND_MUTATION, { id: draft.id, email: { subject: "Your quote" } });
    expect(sent.data.draftOrderInvoiceSend).toMatchObject({
      draftOrder: { id: draft.id, status: "INVOICE_SENT", invoiceSentAt: "2026-12-01T17:00:00.000Z" },
      userErrors: [],
    });
    expect(draftOrdersOf(store).invoices).toEqual([
      expect.objectContaining({ to: "maya@example.com", subject: "Your quote" }),
    ]);
  });

  it("refuses what Shopify refuses, with userErrors and nothing made", async () => {
    const before = draftOrdersOf(store).drafts.length;
    const refused = async (input: Record<string, unknown>) =>
      (await gql(DRAFT_ORDER_CREATE_MUTATION, { input })).data.draftOrderCreate;
    expect(await refused({ lineItems: [] })).toEqual({
      draftOrder: null,
      userErrors: [{ field: ["lineItems"], message: "Add at least 1 product" }],
    });
    expect((await refused({ lineItems: [line("-1.00")] })).userErrors[0].message).toBe(
      "Original unit price must be greater than or equal to 0",
    );
    expect((await refused({ lineItems: [line("10.00", "EUR")] })).userErrors[0].message).toBe(
      "Currency code must match the draft order currency",
    );
    expect((await refused({ customerId: "gid://shopify/Customer/1", lineItems: [line("10.00")] })).userErrors).toEqual([
      { field: ["customerId"], message: "Customer does not exist" },
    ]);
    expect(draftOrdersOf(store).drafts).toHaveLength(before);
    const unknown = await gql(DRAFT_ORDER_INVOICE_SEND_MUTATION, { id: "gid://shopify/DraftOrder/1" });
    expect(unknown.data.draftOrderInvoiceSend.userErrors).toEqual([
      { field: ["id"], message: "Draft order does not exist" },
    ]);
    const noEmail = await gql(DRAFT_ORDER_CREATE_MUTATION, { input: { lineItems: [line("10.00")] } });
    const toNobody = await gql(DRAFT_ORDER_INVOICE_SEND_MUTATION, { id: noEmail.data.draftOrderCreate.draftOrder.id });
    expect(toNobody.data.draftOrderInvoiceSend).toEqual({
      draftOrder: null,
      userErrors: [{ field: ["email", "to"], message: "To can't be blank" }],
    });
  });
});
