import { connection, type ConnectionArgs } from "../graphql/connection";
import type { ResolverMap } from "../graphql/execute";
import type { Node } from "../store";
import { nodeOfType, notFound, type StoreContext } from "./shared";
import { returnableFulfillmentsOf } from "./types";

type Args = ConnectionArgs & Record<string, any>;
const tagged = (node: Node) => node.tags;

/** Search fields per resource, as Shopify's search syntax names them. */
const ORDER_SEARCH = {
  id: (o: Node) => o.id.split("/").pop(),
  name: (o: Node) => o.name,
  created_at: (o: Node) => o.createdAt,
  updated_at: (o: Node) => o.updatedAt,
  processed_at: (o: Node) => o.processedAt,
  financial_status: (o: Node) => o.displayFinancialStatus.toLowerCase(),
  fulfillment_status: (o: Node) =>
    o.displayFulfillmentStatus === "FULFILLED" ? "shipped" : o.displayFulfillmentStatus.toLowerCase(),
  status: (o: Node) => (o.cancelledAt ? "cancelled" : o.closed ? "closed" : "open"),
  customer_id: (o: Node) => o.customer?.id.split("/").pop(),
  email: (o: Node) => o.email,
  tag: tagged,
};
const PRODUCT_SEARCH = {
  id: (p: Node) => p.id.split("/").pop(),
  title: (p: Node) => p.title,
  tag: tagged,
  status: (p: Node) => p.status.toLowerCase(),
  product_type: (p: Node) => p.productType,
  updated_at: (p: Node) => p.updatedAt,
  created_at: (p: Node) => p.createdAt,
};
const CUSTOMER_SEARCH = {
  id: (c: Node) => c.id.split("/").pop(),
  email: (c: Node) => c.email,
  updated_at: (c: Node) => c.updatedAt,
  tag: tagged,
};

export const queryResolvers: ResolverMap = {
  QueryRoot: {
    shop: (_root, _args, { store }: StoreContext) => store.shop,
    currentAppInstallation: (_root, _args, { store }: StoreContext) => store.appInstallation,
    node: (_root, { id }: Args, { store }: StoreContext) => store.node(id) ?? null,
    nodes: (_root, { ids }: Args, { store }: StoreContext) => (ids as string[]).map((id) => store.node(id) ?? null),
    order: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "Order"),
    orders: (_root, args: Args, { store }: StoreContext) => connection(store.orders, args, ORDER_SEARCH),
    ordersCount: (_root, _args, { store }: StoreContext) => ({ count: store.orders.length, precision: "EXACT" }),
    product: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "Product"),
    products: (_root, args: Args, { store }: StoreContext) => connection(store.products, args, PRODUCT_SEARCH),
    productsCount: (_root, _args, { store }: StoreContext) => ({ count: store.products.length, precision: "EXACT" }),
    productVariant: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "ProductVariant"),
    productVariantsCount: (_root, { limit }: Args, { store }: StoreContext) => {
      const count = store.products.reduce((sum, p) => sum + p.variants.length, 0);
      // Shopify stops counting at the limit (the schema's default 10,000; null for none) and says so.
      return limit != null && count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
    },
    productVariants: (_root, args: Args, { store }: StoreContext) =>
      connection(
        store.products.flatMap((p) => p.variants as Node[]),
        args,
      ),
    inventoryItem: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "InventoryItem"),
    customer: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "Customer"),
    customers: (_root, args: Args, { store }: StoreContext) => connection(store.customers, args, CUSTOMER_SEARCH),
    location: (_root, { id }: Args, { store }: StoreContext) =>
      id ? nodeOfType(store, id, "Location") : store.primaryLocation,
    locations: (_root, args: Args, { store }: StoreContext) => connection(store.locations, args),
    return: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "Return"),
    reverseFulfillmentOrder: (_root, { id }: Args, { store }: StoreContext) =>
      nodeOfType(store, id, "ReverseFulfillmentOrder"),
    reverseDelivery: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "ReverseDelivery"),
    returnableFulfillments: (_root, args: Args, { store }: StoreContext) => {
      const order = nodeOfType(store, args.orderId, "Order") ?? notFound("Order");
      return connection(returnableFulfillmentsOf(order, store) as unknown as Node[], args);
    },
    validation: (_root, { id }: Args, { store }: StoreContext) => nodeOfType(store, id, "Validation"),
    validations: (_root, args: Args, { store }: StoreContext) => connection(store.validations, args),
    automaticDiscountNode: (_root, { id }: Args, { store }: StoreContext) =>
      nodeOfType(store, id, "DiscountAutomaticNode"),
    automaticDiscountNodes: (_root, args: Args, { store }: StoreContext) => connection(store.discounts, args),
    deliveryProfiles: (_root, args: Args, { store }: StoreContext) => connection(store.deliveryProfiles, args),
    files: (_root, args: Args, { store }: StoreContext) => connection(store.files, args),
    webhookSubscriptions: (_root, args: Args, context: StoreContext) =>
      connection(context.webhookSubscriptions as Node[], args),
    shopifyFunctions: (_root, args: Args, { app }: StoreContext) =>
      connection(
        app.functions.map((f) => ({
          __typename: "ShopifyFunction",
          id: f.id,
          title: f.title,
          apiType: f.apiType,
          handle: f.handle,
          appKey: app.apiKey,
        })),
        args,
      ),
  },
};
