import type { ResolverMap } from "../graphql/execute";
import { productUpdated, setAvailable, setMetafield } from "../actions/catalog";
import {
  approveReturn,
  attachReturnLabel,
  closeReturn,
  declineReturn,
  processReturn,
  ReturnError,
} from "../actions/returns";
import { cancelFulfillment } from "../actions/orders";
import { cents, decimal } from "../money";
import type { EmulatedStore, Node } from "../store";
import { nodeOfType, type AppFunction, type StoreContext } from "./shared";

type Args = Record<string, any>;
const userError = (field: string[], message: string, code?: string) => ({ field, message, ...(code ? { code } : {}) });

/** "$app" is the calling app's reserved namespace, as on Shopify. */
export function canonicalNamespace(namespace: string | null | undefined, context: StoreContext): string {
  return !namespace || namespace === "$app" ? `app--${context.app.apiKey}` : namespace;
}

const METAFIELD_OWNERS = new Set([
  "Shop",
  "AppInstallation",
  "Product",
  "ProductVariant",
  "Order",
  "Customer",
  "Validation",
  "DiscountAutomaticNode",
]);

function returnMutation(run: () => Node) {
  try {
    return { return: run(), userErrors: [] };
  } catch (error) {
    if (error instanceof ReturnError)
      return { return: null, userErrors: [userError(error.field, error.message, error.code)] };
    throw error;
  }
}

function findFunction(context: StoreContext, input: Args, apiType: AppFunction["apiType"], path: string) {
  if (input.functionHandle && input.functionId) {
    return {
      error: userError(
        [path, "functionHandle"],
        "Only one of functionId or functionHandle is allowed.",
        "MULTIPLE_FUNCTION_IDENTIFIERS",
      ),
    };
  }
  if (!input.functionHandle && !input.functionId) {
    return {
      error: userError(
        [path, "functionHandle"],
        "Either functionId or functionHandle must be provided.",
        "MISSING_FUNCTION_IDENTIFIER",
      ),
    };
  }
  const fn = context.app.functions.find((f) => f.handle === input.functionHandle || f.id === input.functionId);
  if (!fn || fn.apiType !== apiType) {
    return {
      error: userError(
        [path, input.functionHandle ? "functionHandle" : "functionId"],
        "Function not found.",
        "FUNCTION_NOT_FOUND",
      ),
    };
  }
  return { fn };
}

function writeMetafields(
  store: EmulatedStore,
  owner: Node,
  metafields: Args[] | null | undefined,
  context: StoreContext,
) {
  for (const m of metafields ?? [])
    setMetafield(store, owner, canonicalNamespace(m.namespace, context), m.key, m.value, m.type ?? "json");
}

function shopifyFunction(fn: AppFunction, context: StoreContext) {
  return {
    __typename: "ShopifyFunction",
    id: fn.id,
    handle: fn.handle,
    title: fn.title,
    apiType: fn.apiType,
    appKey: context.app.apiKey,
    apiVersion: "2026-10",
  };
}

export const mutationResolvers: ResolverMap = {
  Mutation: {
    fulfillmentCancel: (_r, { id }: Args, { store }: StoreContext) => {
      const fulfillment = nodeOfType(store, id, "Fulfillment");
      if (!fulfillment) return { fulfillment: null, userErrors: [userError(["id"], "Fulfillment does not exist.")] };
      if (fulfillment.status === "CANCELLED")
        return { fulfillment, userErrors: [userError(["id"], "Fulfillment has already been cancelled.")] };
      cancelFulfillment(store, fulfillment);
      return { fulfillment, userErrors: [] };
    },
    returnApproveRequest: (_r, { input }: Args, { store }: StoreContext) =>
      returnMutation(() => {
        const ret = nodeOfType(store, input.id, "Return");
        if (!ret) throw new ReturnError("NOT_FOUND", ["input", "id"], "Return does not exist.");
        approveReturn(store, ret);
        return ret;
      }),
    returnDeclineRequest: (_r, { input }: Args, { store }: StoreContext) =>
      returnMutation(() => {
        const ret = nodeOfType(store, input.id, "Return");
        if (!ret) throw new ReturnError("NOT_FOUND", ["input", "id"], "Return does not exist.");
        declineReturn(store, ret, input.declineReason, input.declineNote ?? null);
        return ret;
      }),
    returnClose: (_r, { id }: Args, { store }: StoreContext) =>
      returnMutation(() => {
        const ret = nodeOfType(store, id, "Return");
        if (!ret) throw new ReturnError("NOT_FOUND", ["id"], "Return does not exist.");
        closeReturn(store, ret);
        return ret;
      }),
    returnProcess: (_r, { input }: Args, { store }: StoreContext) =>
      returnMutation(() => {
        const ret = nodeOfType(store, input.returnId, "Return");
        if (!ret) throw new ReturnError("NOT_FOUND", ["input", "returnId"], "Return does not exist.");
        const transfers = (input.financialTransfer?.issueRefund?.orderTransactions ?? []) as Args[];
        const refund = transfers.length
          ? transfers.reduce((sum, t) => sum + cents(t.transactionAmount.amount), 0)
          : null;
        const lines = ((input.returnLineItems ?? []) as Args[]).map((l) => ({
          returnLineItemId: l.id,
          quantity: l.quantity,
        }));
        return processReturn(store, ret, lines, refund);
      }),
    reverseDeliveryCreateWithShipping: (_r, args: Args, { store }: StoreContext) => {
      const rfo = nodeOfType(store, args.reverseFulfillmentOrderId, "ReverseFulfillmentOrder");
      if (!rfo)
        return {
          reverseDelivery: null,
          userErrors: [
            userError(["reverseFulfillmentOrderId"], "Reverse fulfillment order does not exist.", "NOT_FOUND"),
          ],
        };
      try {
        const delivery = attachReturnLabel(store, rfo, {
          fileUrl: args.labelInput?.fileUrl ?? null,
          trackingNumber: args.trackingInput?.number ?? null,
          trackingUrl: args.trackingInput?.url ?? null,
        });
        return { reverseDelivery: delivery, userErrors: [] };
      } catch (error) {
        if (error instanceof ReturnError)
          return { reverseDelivery: null, userErrors: [userError(error.field, error.message, error.code)] };
        throw error;
      }
    },
    metafieldsSet: (_r, { metafields }: Args, context: StoreContext) => {
      const { store } = context;
      const inputs = metafields as Args[];
      if (inputs.length > 25) {
        return {
          metafields: null,
          userErrors: [
            userError(["metafields"], "Exceeded the maximum metafields input limit of 25.", "LESS_THAN_OR_EQUAL_TO"),
          ],
        };
      }
      const errors = inputs.flatMap((m, index) => {
        const owner = store.node(m.ownerId);
        if (!owner || !METAFIELD_OWNERS.has(owner.__typename))
          return [
            {
              ...userError(["metafields", String(index), "ownerId"], "Owner does not exist.", "INVALID"),
              elementIndex: index,
            },
          ];
        const namespace = canonicalNamespace(m.namespace, context);
        const existing = (owner.metafields as Node[]).find((x) => x.namespace === namespace && x.key === m.key);
        if (!m.type && !existing)
          return [
            {
              ...userError(["metafields", String(index), "type"], "Type can't be blank.", "BLANK"),
              elementIndex: index,
            },
          ];
        if ((m.type ?? existing?.type) === "json") {
          try {
            JSON.parse(m.value);
          } catch {
            return [
              {
                ...userError(["metafields", String(index), "value"], "Value is invalid JSON.", "INVALID_VALUE"),
                elementIndex: index,
              },
            ];
          }
        }
        return [];
      });
      // All or nothing, as on Shopify.
      if (errors.length) return { metafields: null, userErrors: errors };
      const written = inputs.map((m) =>
        setMetafield(store, store.node(m.ownerId)!, canonicalNamespace(m.namespace, context), m.key, m.value, m.type),
      );
      return { metafields: written, userErrors: [] };
    },
    discountAutomaticAppCreate: (_r, { automaticAppDiscount: input }: Args, context: StoreContext) => {
      const { store } = context;
      const found = findFunction(context, input, "discount", "automaticAppDiscount");
      if ("error" in found) return { automaticAppDiscount: null, userErrors: [found.error] };
      if (!input.title)
        return {
          automaticAppDiscount: null,
          userErrors: [userError(["automaticAppDiscount", "title"], "Title can't be blank", "BLANK")],
        };
      const now = store.now().toISOString();
      const node = store.register({
        __typename: "DiscountAutomaticNode",
        id: store.gid("DiscountAutomaticNode"),
        metafields: [] as Node[],
        events: [],
      });
      node.automaticDiscount = {
        __typename: "DiscountAutomaticApp",
        discountId: node.id,
        title: input.title,
        status: "ACTIVE",
        startsAt: input.startsAt ?? now,
        endsAt: input.endsAt ?? null,
        createdAt: now,
        updatedAt: now,
        discountClasses: input.discountClasses ?? [],
        combinesWith: {
          orderDiscounts: false,
          productDiscounts: false,
          shippingDiscounts: false,
          ...input.combinesWith,
        },
        appDiscountType: {
          ...shopifyFunction(found.fn, context),
          __typename: "AppDiscountType",
          functionId: found.fn.id,
          discountClasses: input.discountClasses ?? [],
        },
        tags: input.tags ?? [],
        asyncUsageCount: 0,
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
        recurringCycleLimit: 0,
      };
      writeMetafields(store, node, input.metafields, context);
      store.discounts.push(node);
      return { automaticAppDiscount: node.automaticDiscount, userErrors: [] };
    },
    discountAutomaticAppUpdate: (_r, { id, automaticAppDiscount: input }: Args, context: StoreContext) => {
      const { store } = context;
      const node = nodeOfType(store, id, "DiscountAutomaticNode");
      if (!node)
        return { automaticAppDiscount: null, userErrors: [userError(["id"], "Discount does not exist", "INVALID")] };
      const discount = node.automaticDiscount;
      for (const key of ["title", "startsAt", "endsAt", "discountClasses"] as const)
        if (input[key] !== undefined) discount[key] = input[key];
      if (input.combinesWith) discount.combinesWith = { ...discount.combinesWith, ...input.combinesWith };
      discount.updatedAt = store.now().toISOString();
      writeMetafields(store, node, input.metafields, context);
      return { automaticAppDiscount: discount, userErrors: [] };
    },
    validationCreate: (_r, { validation: input }: Args, context: StoreContext) => {
      const { store } = context;
      const found = findFunction(context, input, "cart_checkout_validation", "validation");
      if ("error" in found) return { validation: null, userErrors: [found.error] };
      if (store.validations.length >= 25)
        return {
          validation: null,
          userErrors: [
            userError(
              ["validation"],
              "Cannot have more than 25 active validation functions.",
              "MAX_VALIDATIONS_ACTIVATED",
            ),
          ],
        };
      const node = store.register({
        __typename: "Validation",
        id: store.gid("Validation"),
        title: input.title ?? found.fn.title,
        enabled: input.enable ?? false,
        blockOnFailure: input.blockOnFailure ?? false,
        shopifyFunction: shopifyFunction(found.fn, context),
        metafields: [] as Node[],
      });
      writeMetafields(store, node, input.metafields, context);
      store.validations.push(node);
      return { validation: node, userErrors: [] };
    },
    validationUpdate: (_r, { id, validation: input }: Args, context: StoreContext) => {
      const { store } = context;
      const node = nodeOfType(store, id, "Validation");
      if (!node) return { validation: null, userErrors: [userError(["id"], "Extension not found.", "NOT_FOUND")] };
      if (input.title !== undefined) node.title = input.title;
      if (input.enable !== undefined) node.enabled = input.enable;
      if (input.blockOnFailure !== undefined) node.blockOnFailure = input.blockOnFailure;
      writeMetafields(store, node, input.metafields, context);
      return { validation: node, userErrors: [] };
    },
    webhookSubscriptionCreate: (_r, { topic, webhookSubscription: input }: Args, context: StoreContext) => {
      const uri = input.uri ?? input.callbackUrl;
      if (!uri)
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "uri"], "Address can't be blank")],
        };
      const subscriptions = context.webhookSubscriptions as Node[];
      if (subscriptions.some((s) => s.topic === topic && s.uri === uri)) {
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "uri"], "Address for this topic has already been taken")],
        };
      }
      const now = context.store.now().toISOString();
      const node = context.store.register({
        __typename: "WebhookSubscription",
        id: context.store.gid("WebhookSubscription"),
        topic,
        uri,
        format: input.format ?? "JSON",
        filter: input.filter ?? null,
        includeFields: input.includeFields ?? [],
        metafieldNamespaces: input.metafieldNamespaces ?? [],
        metafields: [],
        name: input.name ?? null,
        apiVersion: { handle: "2026-10", displayName: "2026-10", supported: true },
        createdAt: now,
        updatedAt: now,
      });
      subscriptions.push(node);
      return { webhookSubscription: node, userErrors: [] };
    },
    productVariantsBulkUpdate: (_r, { productId, variants }: Args, { store }: StoreContext) => {
      const product = nodeOfType(store, productId, "Product");
      if (!product)
        return {
          product: null,
          productVariants: null,
          userErrors: [userError(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")],
        };
      const errors = (variants as Args[]).flatMap((input, index) => {
        if (!input.id)
          return [
            userError(
              ["variants", String(index), "id"],
              "Product variant is missing ID attribute",
              "PRODUCT_VARIANT_ID_MISSING",
            ),
          ];
        const variant = (product.variants as Node[]).find((v) => v.id === input.id);
        if (!variant)
          return [
            userError(
              ["variants", String(index), "id"],
              "Product variant does not exist",
              "PRODUCT_VARIANT_DOES_NOT_EXIST",
            ),
          ];
        if (input.price != null && cents(String(input.price)) < 0)
          return [
            userError(
              ["variants", String(index), "price"],
              "Price must be greater than or equal to 0",
              "GREATER_THAN_OR_EQUAL_TO",
            ),
          ];
        return [];
      });
      if (errors.length) return { product: null, productVariants: null, userErrors: errors };
      const updated = (variants as Args[]).map((input) => {
        const variant = (product.variants as Node[]).find((v) => v.id === input.id)!;
        if (input.inventoryPolicy) variant.inventoryPolicy = input.inventoryPolicy;
        if (input.price != null) variant.price = decimal(cents(String(input.price)));
        if (input.compareAtPrice !== undefined)
          variant.compareAtPrice = input.compareAtPrice == null ? null : decimal(cents(String(input.compareAtPrice)));
        if (input.inventoryItem?.tracked !== undefined) variant.inventoryItem.tracked = input.inventoryItem.tracked;
        store.touch(variant);
        return variant;
      });
      productUpdated(store, product);
      return { product, productVariants: updated, userErrors: [] };
    },
    inventoryItemUpdate: (_r, { id, input }: Args, { store }: StoreContext) => {
      const item = nodeOfType(store, id, "InventoryItem");
      if (!item) return { inventoryItem: null, userErrors: [userError(["id"], "Inventory item does not exist")] };
      if (input.tracked !== undefined) item.tracked = input.tracked;
      if (input.sku !== undefined) item.sku = input.sku;
      store.touch(item);
      productUpdated(store, item.variant.product);
      return { inventoryItem: item, userErrors: [] };
    },
    inventorySetQuantities: (_r, { input }: Args, { store }: StoreContext) => {
      if (!["available", "on_hand"].includes(input.name)) {
        return {
          inventoryAdjustmentGroup: null,
          userErrors: [
            userError(["input", "name"], "The quantity name must be either 'available' or 'on_hand'.", "INVALID_NAME"),
          ],
        };
      }
      const errors = (input.quantities as Args[]).flatMap((q, index) => {
        const item = nodeOfType(store, q.inventoryItemId, "InventoryItem");
        if (!item)
          return [
            userError(
              ["input", "quantities", String(index), "inventoryItemId"],
              "The specified inventory item could not be found.",
              "INVALID_INVENTORY_ITEM",
            ),
          ];
        const level = (item.inventoryLevels as Node[]).find((l) => l.location.id === q.locationId);
        if (!level)
          return [
            userError(
              ["input", "quantities", String(index), "locationId"],
              "The specified location could not be found.",
              "INVALID_LOCATION",
            ),
          ];
        if (q.changeFromQuantity != null && q.changeFromQuantity !== level._quantities[input.name]) {
          return [
            userError(
              ["input", "quantities", String(index), "changeFromQuantity"],
              "The specified compare quantity does not match the current quantity.",
              "CHANGE_FROM_QUANTITY_STALE",
            ),
          ];
        }
        return [];
      });
      if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
      const changes = (input.quantities as Args[]).map((q) => {
        const level = (store.node(q.inventoryItemId)!.inventoryLevels as Node[]).find(
          (l) => l.location.id === q.locationId,
        )!;
        const delta = q.quantity - level._quantities.available;
        setAvailable(store, level, q.quantity);
        return {
          __typename: "InventoryChange",
          name: input.name,
          delta,
          quantityAfterChange: q.quantity,
          item: level.item,
          location: level.location,
        };
      });
      const now = store.now().toISOString();
      return {
        inventoryAdjustmentGroup: {
          __typename: "InventoryAdjustmentGroup",
          id: store.gid("InventoryAdjustmentGroup"),
          reason: input.reason,
          referenceDocumentUri: input.referenceDocumentUri ?? null,
          createdAt: now,
          changes,
        },
        userErrors: [],
      };
    },
  },
};
