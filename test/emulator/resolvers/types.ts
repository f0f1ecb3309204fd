import { connection } from "../graphql/connection";
import type { ResolverMap } from "../graphql/execute";
import { availableOf } from "../actions/catalog";
import { returnableQuantity } from "../actions/returns";
import { moneyBag } from "../money";
import type { Node } from "../store";
import { canonicalNamespace } from "./mutations";
import { limited, type StoreContext } from "./shared";

const metafieldFields = {
  metafield: (source: Node, args: { namespace?: string | null; key: string }, context: StoreContext) =>
    (source.metafields as Node[]).find(
      (m) => m.key === args.key && m.namespace === canonicalNamespace(args.namespace, context),
    ) ?? null,
  metafields: (
    source: Node,
    args: { namespace?: string | null; keys?: string[] | null; first?: number },
    context: StoreContext,
  ) =>
    connection(
      (source.metafields as Node[]).filter(
        (m) =>
          (!args.namespace || m.namespace === canonicalNamespace(args.namespace, context)) &&
          (!args.keys ||
            args.keys
              .map((k) => k.replace(/^\$app\./, `${canonicalNamespace("$app", context)}.`))
              .includes(`${m.namespace}.${m.key}`)),
      ),
      args,
    ),
};

const byCreatedAt = (a: Node, b: Node) => (a.createdAt < b.createdAt ? -1 : 1);

/** Fields computed from state or taking arguments; everything else is read from the node itself. */
export const typeResolvers: ResolverMap = {
  Shop: { ...metafieldFields },
  AppInstallation: { ...metafieldFields },
  Customer: {
    ...metafieldFields,
    numberOfOrders: (c: Node) => String(c.orders.length),
    legacyResourceId: (c: Node) => c.id.split("/").pop(),
  },
  Product: {
    ...metafieldFields,
    totalInventory: (p: Node) => (p.variants as Node[]).reduce((sum, v) => sum + availableOf(v), 0),
    tracksInventory: (p: Node) => (p.variants as Node[]).some((v) => v.inventoryItem.tracked),
    hasOnlyDefaultVariant: (p: Node) => p.variants.length === 1 && p.variants[0].title === "Default Title",
    variantsCount: (p: Node) => ({ count: p.variants.length, precision: "EXACT" }),
    featuredMedia: (p: Node) => (p.media as Node[])[0] ?? null,
    mediaCount: (p: Node) => ({ count: p.media.length, precision: "EXACT" }),
    legacyResourceId: (p: Node) => p.id.split("/").pop(),
  },
  ProductVariant: {
    ...metafieldFields,
    inventoryQuantity: (v: Node) => availableOf(v),
    availableForSale: (v: Node) =>
      v.product.status === "ACTIVE" &&
      (v.inventoryPolicy === "CONTINUE" || !v.inventoryItem.tracked || availableOf(v) > 0),
    legacyResourceId: (v: Node) => v.id.split("/").pop(),
  },
  InventoryItem: {
    inventoryLevel: (item: Node, args: { locationId: string }) =>
      (item.inventoryLevels as Node[]).find((l) => l.location.id === args.locationId) ?? null,
    variant: (item: Node) => item.variant,
    legacyResourceId: (i: Node) => i.id.split("/").pop(),
  },
  InventoryLevel: {
    quantities: (level: Node, args: { names: string[] }) =>
      args.names.map((name) => ({
        id: `${level.id}&name=${name}`,
        name,
        quantity: level._quantities[name] ?? 0,
        updatedAt: level.updatedAt,
      })),
  },
  Order: {
    ...metafieldFields,
    legacyResourceId: (o: Node) => o.id.split("/").pop(),
    transactions: (o: Node, args: { first?: number | null }) => limited(o.transactions, args),
    fulfillments: (o: Node, args: { first?: number | null }) => limited([...o.fulfillments].sort(byCreatedAt), args),
    refunds: (o: Node, args: { first?: number | null }) => limited(o.refunds, args),
    fulfillmentsCount: (o: Node) => ({ count: o.fulfillments.length, precision: "EXACT" }),
    subtotalLineItemsQuantity: (o: Node) => (o.lineItems as Node[]).reduce((s, l) => s + l.quantity, 0),
  },
  LineItem: {
    discountedTotalSet: (line: Node, _args: unknown, context: { store: { currency: string } }) =>
      moneyBag(line._discountedTotalCents, context.store.currency),
  },
  Fulfillment: {
    trackingInfo: (f: Node, args: { first?: number | null }) => limited(f.trackingInfo, args),
    legacyResourceId: (f: Node) => f.id.split("/").pop(),
  },
  Refund: {
    legacyResourceId: (r: Node) => r.id.split("/").pop(),
  },
  DeliveryProfile: {
    profileLocationGroups: (p: Node) => p.profileLocationGroups,
    activeMethodDefinitionsCount: (p: Node) =>
      (p.profileLocationGroups as Node[]).flatMap((g) => g.locationGroupZones).flatMap((z: Node) => z.methodDefinitions)
        .length,
  },
  Validation: { ...metafieldFields },
  DiscountAutomaticNode: { ...metafieldFields },
  WebhookSubscription: {
    legacyResourceId: (w: Node) => w.id.split("/").pop(),
  },
};

/** Shopify's returnableFulfillments: each fulfillment with what can still be returned of it. */
export function returnableFulfillmentsOf(order: Node, store: Parameters<typeof returnableQuantity>[0]) {
  return (order.fulfillments as Node[])
    .map((fulfillment) => ({
      __typename: "ReturnableFulfillment",
      id: `gid://shopify/ReturnableFulfillment/${fulfillment.id.split("/").pop()}`,
      fulfillment,
      returnableFulfillmentLineItems: (fulfillment.fulfillmentLineItems as Node[])
        .map((fulfillmentLineItem) => ({
          __typename: "ReturnableFulfillmentLineItem",
          fulfillmentLineItem,
          quantity: returnableQuantity(store, fulfillmentLineItem),
        }))
        .filter((line) => line.quantity > 0),
    }))
    .filter((rf) => rf.returnableFulfillmentLineItems.length > 0);
}
