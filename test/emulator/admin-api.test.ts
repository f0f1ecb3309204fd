import { parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSchema } from "../support/admin-schema";
import { placeOrder } from "./actions/orders";
import { setDeliveryProfile } from "./actions/shipping";
import { createStore, oneOfAKind, orderAt, shopper } from "./builders";
import { startEmulator, type Emulator } from "./server";
import type { EmulatedStore } from "./store";

let emulator: Emulator;
let store: EmulatedStore;
let token: string;
const gql = (query: string, variables?: Record<string, unknown>) => emulator.graphql(query, variables, token);
const T0 = new Date("2026-11-02T15:00:00Z");

beforeAll(async () => {
  store = createStore();
  const maya = shopper(store, { firstName: "Maya", lastName: "Chen", email: "maya@example.com" });
  const items = ["Watch A", "Watch B", "Bag C", "Bag D", "Ring E"].map((title, i) =>
    oneOfAKind(store, { title, priceCents: 10_000 * (i + 1), rank: "A", kind: i < 2 ? "Watch" : "Bag" }),
  );
  orderAt(store, { customer: maya, items: [items[0]!], stage: "delivered", payment: "shop_pay", placedAt: T0 });
  orderAt(store, {
    customer: maya,
    items: [items[1]!],
    stage: "paid",
    payment: [{ kind: "card", amountCents: 5_000 }, { kind: "gift_card" }],
    placedAt: new Date(T0.getTime() + 86_400_000),
  });
  orderAt(store, {
    customer: maya,
    items: [items[2]!],
    stage: "placed",
    payment: "cash_on_delivery",
    placedAt: new Date(T0.getTime() + 2 * 86_400_000),
  });
  orderAt(store, {
    customer: maya,
    items: [items[3]!],
    stage: "return_requested",
    payment: "paypal",
    placedAt: new Date(T0.getTime() + 3 * 86_400_000),
  });
  emulator = await startEmulator({
    store,
    app: {
      apiKey: "key",
      secret: "secret",
      title: "Policy Guard",
      handle: "policy-guard",
      appUrl: "http://127.0.0.1:9",
      functions: [
        { id: "fn-1", handle: "one-of-a-kind-validation", apiType: "cart_checkout_validation", title: "One of a kind" },
      ],
    },
    subscribeFromToml: false,
  });
  token = emulator.installToken();
});
afterAll(() => emulator.close());

describe("store emulator: requests", () => {
  it("refuses a missing or unknown access token with Shopify's 401", async () => {
    const response = await fetch(`${emulator.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": "shpat_forged" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).errors).toMatch(/Invalid API key or access token/);
  });

  it("serves only API version 2026-10", async () => {
    const response = await fetch(`${emulator.origin}/admin/api/2024-01/graphql.json`, {
      method: "POST",
      headers: { "x-shopify-access-token": token },
      body: "{}",
    });
    expect(response.status).toBe(404);
  });

  it("rejects a field that does not exist in Admin 2026-10, exactly as the schema dictates", async () => {
    const query = "{ shop { name ianaTimezone favouriteColour } }";
    const expected = validate(loadSchema("admin_2026-10"), parse(query));
    expect(expected).toHaveLength(1);
    const result = await gql(query);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: "Field 'favouriteColour' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 28 }],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "favouriteColour" },
      },
    ]);
  });

  it("rejects an operation the schema does not have, and bad arguments", async () => {
    expect((await gql("mutation { policyGuardMagic { id } }")).errors[0].message).toBe(
      "Field 'policyGuardMagic' doesn't exist on type 'Mutation'",
    );
    expect((await gql("{ orders(frist: 2) { nodes { id } } }")).errors[0].extensions.code).toBe("argumentNotAccepted");
  });

  it("fails loudly, naming the field, for anything it does not implement", async () => {
    const result = await gql("{ shop { name plan { partnerDevelopment } } }");
    expect(result.errors[0]).toMatchObject({
      message: "The store emulator does not implement Shop.plan",
      extensions: { code: "NOT_IMPLEMENTED" },
    });
  });

  it("reports the query cost and throttle status, throttles on demand and refuses queries over 1000", async () => {
    const ok = await gql("{ shop { name } }");
    expect(ok.extensions.cost).toMatchObject({
      requestedQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
    emulator.throttle.forced = 1;
    const throttled = await fetch(`${emulator.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect((await throttled.json()).errors[0].extensions.code).toBe("THROTTLED");
    expect((await gql("{ shop { name } }")).data.shop.name).toBe("ALLU Demo");
    const huge = await gql("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }");
    expect(huge.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");
  });
});

describe("store emulator: reading the store", () => {
  it("pages orders with cursors, sorts and searches them", async () => {
    const first = await gql(
      "{ orders(first: 2, sortKey: PROCESSED_AT) { nodes { name } pageInfo { hasNextPage endCursor } } }",
    );
    expect(first.data.orders.nodes.map((o: { name: string }) => o.name)).toEqual(["#1001", "#1002"]);
    expect(first.data.orders.pageInfo.hasNextPage).toBe(true);
    const next = await gql(
      "query($after: String) { orders(first: 2, after: $after, sortKey: PROCESSED_AT) { nodes { name } pageInfo { hasNextPage } } }",
      { after: first.data.orders.pageInfo.endCursor },
    );
    expect(next.data.orders.nodes.map((o: { name: string }) => o.name)).toEqual(["#1003", "#1004"]);
    expect(next.data.orders.pageInfo.hasNextPage).toBe(false);
    const reversed = await gql("{ orders(first: 1, sortKey: PROCESSED_AT, reverse: true) { nodes { name } } }");
    expect(reversed.data.orders.nodes[0].name).toBe("#1004");
    const updated = await gql('{ orders(first: 10, query: "processed_at:>=2026-11-04T00:00:00Z") { nodes { name } } }');
    expect(updated.data.orders.nodes.map((o: { name: string }) => o.name).sort()).toEqual(["#1003", "#1004"]);
    expect((await gql('{ orders(first: 5, query: "colour:red") { nodes { id } } }')).errors[0].message).toMatch(
      /cannot search by "colour"/,
    );
  });

  it("records how each order was paid, with Shopify's payment details", async () => {
    const result = await gql(
      `{ orders(first: 4, sortKey: PROCESSED_AT) { nodes { name displayFinancialStatus transactions(first: 5) { kind status gateway manualPaymentGateway paymentDetails { __typename ... on CardPaymentDetails { wallet company } } } } } }`,
    );
    const [shopPay, split, cod, paypal] = result.data.orders.nodes;
    expect(shopPay.transactions[0]).toMatchObject({
      gateway: "shopify_payments",
      paymentDetails: { __typename: "CardPaymentDetails", wallet: "SHOPIFY_PAY" },
    });
    expect(split.transactions.map((t: { gateway: string }) => t.gateway)).toEqual(["shopify_payments", "gift_card"]);
    expect(cod).toMatchObject({
      displayFinancialStatus: "PENDING",
      transactions: [{ status: "PENDING", manualPaymentGateway: true, gateway: "Cash on Delivery (COD)" }],
    });
    expect(paypal.transactions[0].paymentDetails.__typename).toBe("PaypalWalletPaymentDetails");
  });

  it("exposes fulfillments with the carrier's delivered time", async () => {
    const result = await gql(
      `{ orders(first: 1, sortKey: PROCESSED_AT) { nodes { displayFulfillmentStatus fulfillments(first: 2) { createdAt trackingInfo(first: 1) { company number } events(first: 5) { nodes { status happenedAt } } } } } }`,
    );
    const [order] = result.data.orders.nodes;
    expect(order.displayFulfillmentStatus).toBe("FULFILLED");
    expect(order.fulfillments[0].trackingInfo[0].company).toBe("FedEx");
    expect(order.fulfillments[0].events.nodes.map((e: { status: string }) => e.status)).toEqual([
      "IN_TRANSIT",
      "DELIVERED",
    ]);
  });

  it("takes order discount codes off the subtotal and shipping discounts off the shipping lines", async () => {
    const item = oneOfAKind(store, { title: "Discounted watch", priceCents: 60_000 });
    const order = placeOrder(store, {
      lines: [{ variant: item.variants[0] }],
      discountCodes: [{ code: "SAVE150", amountCents: 15_000 }],
      shippingCents: 2_000,
      shippingDiscountCents: 2_000,
    });
    const amount = `shopMoney { amount } presentmentMoney { amount currencyCode }`;
    const result = await gql(
      `query($id: ID!) { order(id: $id) { discountCodes presentmentCurrencyCode subtotalPriceSet { ${amount} } totalShippingPriceSet { ${amount} } totalPriceSet { ${amount} } shippingAddress { countryCodeV2 } shippingLines(first: 2) { nodes { title originalPriceSet { ${amount} } discountedPriceSet { ${amount} } } } } }`,
      { id: order.id },
    );
    const money = (value: string) => ({
      shopMoney: { amount: value },
      presentmentMoney: { amount: value, currencyCode: "USD" },
    });
    expect(result.data.order).toEqual({
      discountCodes: ["SAVE150"],
      presentmentCurrencyCode: "USD",
      subtotalPriceSet: money("450.00"),
      // Shopify's total shipping is before shipping discounts; the lines say what was charged.
      totalShippingPriceSet: money("20.00"),
      totalPriceSet: money("450.00"),
      shippingAddress: { countryCodeV2: "US" },
      shippingLines: {
        nodes: [
          {
            title: "Standard (FedEx, signature required)",
            originalPriceSet: money("20.00"),
            discountedPriceSet: money("0.00"),
          },
        ],
      },
    });
  });

  it("reads products by tag with inventory facts and the condition-rank metafield", async () => {
    const result = await gql(
      `{ products(first: 5, query: "tag:watch") { nodes { title totalInventory metafield(namespace: "custom", key: "condition_rank") { value } variants(first: 1) { nodes { inventoryPolicy inventoryQuantity inventoryItem { tracked } } } } } }`,
    );
    expect(result.data.products.nodes).toHaveLength(2);
    expect(result.data.products.nodes[0]).toMatchObject({
      title: "Watch A",
      totalInventory: 0,
      metafield: { value: "A" },
      variants: { nodes: [{ inventoryPolicy: "DENY", inventoryQuantity: 0, inventoryItem: { tracked: true } }] },
    });
  });
});

describe("store emulator: delivery profiles", () => {
  it("reads the flat and free rates of the general profile", async () => {
    setDeliveryProfile(store, {
      countries: ["US"],
      rates: [
        { name: "Standard", priceCents: 2_000 },
        { name: "Free", priceCents: 0, minTotalCents: 50_000 },
      ],
    });
    const result = await gql(
      `{ deliveryProfiles(first: 1) { nodes { name profileLocationGroups { locationGroupZones(first: 5) { nodes { zone { countries { code { countryCode } } } methodDefinitions(first: 5) { nodes { name rateProvider { ... on DeliveryRateDefinition { price { amount } } } methodConditions { operator conditionCriteria { ... on MoneyV2 { amount } } } } } } } } } } }`,
    );
    const zone = result.data.deliveryProfiles.nodes[0].profileLocationGroups[0].locationGroupZones.nodes[0];
    expect(zone.zone.countries).toEqual([{ code: { countryCode: "US" } }]);
    expect(zone.methodDefinitions.nodes).toEqual([
      { name: "Standard", rateProvider: { price: { amount: "20.00" } }, methodConditions: [] },
      {
        name: "Free",
        rateProvider: { price: { amount: "0.00" } },
        methodConditions: [{ operator: "GREATER_THAN_OR_EQUAL_TO", conditionCriteria: { amount: "500.00" } }],
      },
    ]);
  });
});

describe("store emulator: mutations and userErrors", () => {
  const RETURN_FIELDS =
    "return { id status returnLineItems(first: 5) { nodes { id quantity } } reverseFulfillmentOrders(first: 1) { nodes { id lineItems(first: 5) { nodes { id } } } } } userErrors { field message code }";

  it("requests, approves, labels and processes a return, refusing what Shopify refuses", async () => {
    const order = store.orders[0]!;
    const fli = order.fulfillments[0].fulfillmentLineItems[0];
    const tooMany = await gql(
      `mutation($input: ReturnRequestInput!) { returnRequest(input: $input) { ${RETURN_FIELDS} } }`,
      {
        input: {
          orderId: order.id,
          returnLineItems: [{ fulfillmentLineItemId: fli.id, quantity: 2, returnReason: "UNWANTED" }],
        },
      },
    );
    expect(tooMany.data.returnRequest).toMatchObject({
      return: null,
      userErrors: [{ code: "INVALID", field: ["input", "returnLineItems", "0", "quantity"] }],
    });

    const requested = await gql(
      `mutation($input: ReturnRequestInput!) { returnRequest(input: $input) { ${RETURN_FIELDS} } }`,
      {
        input: {
          orderId: order.id,
          returnLineItems: [{ fulfillmentLineItemId: fli.id, quantity: 1, returnReason: "UNWANTED" }],
        },
      },
    );
    const ret = requested.data.returnRequest.return;
    expect(ret.status).toBe("REQUESTED");
    const returnable = await gql(
      `query($id: ID!) { returnableFulfillments(orderId: $id, first: 5) { nodes { id } } }`,
      { id: order.id },
    );
    expect(returnable.data.returnableFulfillments.nodes).toEqual([]);

    const approved = await gql(`mutation($id: ID!) { returnApproveRequest(input: { id: $id }) { ${RETURN_FIELDS} } }`, {
      id: ret.id,
    });
    expect(approved.data.returnApproveRequest.return.status).toBe("OPEN");
    const again = await gql(`mutation($id: ID!) { returnApproveRequest(input: { id: $id }) { ${RETURN_FIELDS} } }`, {
      id: ret.id,
    });
    expect(again.data.returnApproveRequest).toMatchObject({ return: null, userErrors: [{ code: "INVALID_STATE" }] });

    const reverseOrder = approved.data.returnApproveRequest.return.reverseFulfillmentOrders.nodes[0];
    const labelMutation = `mutation($rfo: ID!, $lines: [ReverseDeliveryLineItemInput!]!) { reverseDeliveryCreateWithShipping(reverseFulfillmentOrderId: $rfo, reverseDeliveryLineItems: $lines, labelInput: { fileUrl: "https://labels.example/1.pdf" }, trackingInput: { number: "RL1" }) { reverseDelivery { id deliverable { ... on ReverseDeliveryShippingDeliverable { label { publicFileUrl } tracking { number } } } } userErrors { message } } }`;
    const blank = await gql(labelMutation, { rfo: reverseOrder.id, lines: [] });
    expect(blank.data.reverseDeliveryCreateWithShipping).toMatchObject({
      reverseDelivery: null,
      userErrors: [{ message: "Reverse delivery line items can't be blank." }],
    });
    const label = await gql(labelMutation, {
      rfo: reverseOrder.id,
      lines: [{ reverseFulfillmentOrderLineItemId: reverseOrder.lineItems.nodes[0].id, quantity: 1 }],
    });
    expect(label.data.reverseDeliveryCreateWithShipping.reverseDelivery.deliverable).toEqual({
      label: { publicFileUrl: "https://labels.example/1.pdf" },
      tracking: { number: "RL1" },
    });

    const line = approved.data.returnApproveRequest.return.returnLineItems.nodes[0].id;
    const parentId = order.transactions[0].id;
    const processed = await gql(
      `mutation($input: ReturnProcessInput!) { returnProcess(input: $input) { return { status refunds(first: 2) { nodes { totalRefundedSet { shopMoney { amount } } } } } userErrors { message } } }`,
      {
        input: {
          returnId: ret.id,
          returnLineItems: [{ id: line, quantity: 1 }],
          financialTransfer: {
            issueRefund: {
              orderTransactions: [{ parentId, transactionAmount: { amount: "80.00", currencyCode: "USD" } }],
            },
          },
        },
      },
    );
    expect(processed.data.returnProcess.return).toEqual({
      status: "CLOSED",
      refunds: { nodes: [{ totalRefundedSet: { shopMoney: { amount: "80.00" } } }] },
    });
  });

  it("sets app-owned metafields, all or nothing", async () => {
    const shop = (await gql("{ shop { id } }")).data.shop.id;
    const bad = await gql(
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field code elementIndex } } }`,
      {
        m: [
          { ownerId: shop, namespace: "$app", key: "policy", type: "json", value: '{"ok":true}' },
          { ownerId: shop, namespace: "$app", key: "broken", type: "json", value: "{nope" },
        ],
      },
    );
    expect(bad.data.metafieldsSet).toEqual({
      metafields: null,
      userErrors: [{ field: ["metafields", "1", "value"], code: "INVALID_VALUE", elementIndex: 1 }],
    });
    expect(
      (await gql('{ shop { metafield(namespace: "$app", key: "policy") { value } } }')).data.shop.metafield,
    ).toBeNull();
    const ok = await gql(
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key jsonValue } userErrors { code } } }`,
      { m: [{ ownerId: shop, namespace: "$app", key: "policy", type: "json", value: '{"threshold":50000}' }] },
    );
    expect(ok.data.metafieldsSet.metafields[0]).toEqual({
      namespace: "app--key",
      key: "policy",
      jsonValue: { threshold: 50000 },
    });
    expect(
      (await gql('{ shop { metafield(namespace: "$app", key: "policy") { value } } }')).data.shop.metafield.value,
    ).toBe('{"threshold":50000}');
  });

  it("creates validations only for the app's own functions", async () => {
    const unknown = await gql(
      `mutation { validationCreate(validation: { functionHandle: "nope" }) { validation { id } userErrors { code } } }`,
    );
    expect(unknown.data.validationCreate.userErrors).toEqual([{ code: "FUNCTION_NOT_FOUND" }]);
    const created = await gql(
      `mutation { validationCreate(validation: { functionHandle: "one-of-a-kind-validation", enable: true, blockOnFailure: true }) { validation { id enabled shopifyFunction { handle } } userErrors { code } } }`,
    );
    expect(created.data.validationCreate.validation).toMatchObject({
      enabled: true,
      shopifyFunction: { handle: "one-of-a-kind-validation" },
    });
  });

  it("fixes a variant's inventory policy and tracking, and refuses a stale quantity change", async () => {
    const product = store.products[4]!;
    const variant = product.variants[0];
    const result = await gql(
      `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { productVariants { inventoryPolicy inventoryItem { tracked } } userErrors { code } } }`,
      {
        p: product.id,
        v: [{ id: variant.id, inventoryPolicy: "CONTINUE", inventoryItem: { tracked: false } }],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.productVariantsBulkUpdate.productVariants).toEqual([
      { inventoryPolicy: "CONTINUE", inventoryItem: { tracked: false } },
    ]);
    const missing = await gql(
      `mutation($p: ID!) { productVariantsBulkUpdate(productId: $p, variants: [{ id: "gid://shopify/ProductVariant/1", inventoryPolicy: DENY }]) { userErrors { code field } } }`,
      { p: product.id },
    );
    expect(missing.errors).toBeUndefined();
    expect(missing.data.productVariantsBulkUpdate.userErrors).toEqual([
      { code: "PRODUCT_VARIANT_DOES_NOT_EXIST", field: ["variants", "0", "id"] },
    ]);
    const stale = await gql(
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      {
        input: {
          name: "available",
          reason: "correction",
          quantities: [
            {
              inventoryItemId: variant.inventoryItem.id,
              locationId: store.primaryLocation.id,
              quantity: 1,
              changeFromQuantity: 7,
            },
          ],
        },
      },
    );
    expect(stale.data.inventorySetQuantities.userErrors).toEqual([{ code: "CHANGE_FROM_QUANTITY_STALE" }]);
  });

  it("stages an upload and creates a file from it", async () => {
    const staged = await gql(
      `mutation { stagedUploadsCreate(input: [{ resource: FILE, filename: "photo.jpg", mimeType: "image/jpeg", httpMethod: PUT }]) { stagedTargets { url resourceUrl } userErrors { message } } }`,
    );
    const target = staged.data.stagedUploadsCreate.stagedTargets[0];
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    expect(
      (await fetch(target.url, { method: "PUT", body: jpeg, headers: { "content-type": "image/jpeg" } })).status,
    ).toBe(201);
    const file = await gql(
      `mutation($src: String!) { fileCreate(files: [{ originalSource: $src, contentType: IMAGE }]) { files { fileStatus } userErrors { code } } }`,
      { src: target.resourceUrl },
    );
    expect(file.data.fileCreate.files).toEqual([{ fileStatus: "READY" }]);
    expect(Buffer.from(await (await fetch(target.resourceUrl)).arrayBuffer())).toEqual(jpeg);
  });

  it("fails an image file whose bytes are not an image, and refuses staging a non-image as an image", async () => {
    const staged = await gql(
      `mutation { stagedUploadsCreate(input: [{ resource: FILE, filename: "photo.jpg", mimeType: "image/jpeg", httpMethod: PUT }]) { stagedTargets { url resourceUrl } userErrors { message } } }`,
    );
    const target = staged.data.stagedUploadsCreate.stagedTargets[0];
    await fetch(target.url, { method: "PUT", body: "not an image", headers: { "content-type": "image/jpeg" } });
    const file = await gql(
      `mutation($src: String!) { fileCreate(files: [{ originalSource: $src, contentType: IMAGE }]) { files { fileStatus fileErrors { code } } userErrors { code } } }`,
      { src: target.resourceUrl },
    );
    expect(file.data.fileCreate.files).toEqual([
      { fileStatus: "FAILED", fileErrors: [{ code: "UNSUPPORTED_IMAGE_FILE_TYPE" }] },
    ]);
    const pdf = await gql(
      `mutation { stagedUploadsCreate(input: [{ resource: IMAGE, filename: "x.pdf", mimeType: "application/pdf", httpMethod: PUT }]) { stagedTargets { url } userErrors { field message } } }`,
    );
    expect(pdf.data.stagedUploadsCreate).toEqual({
      stagedTargets: null,
      userErrors: [{ field: ["input", "0", "mimeType"], message: "Mime type application/pdf is not an image" }],
    });
  });
});
