import type { ResolverMap } from "../graphql/execute";
import { attachReturnLabel, ReturnError } from "../actions/returns";
import type { Node } from "../store";
import { nodeOfType, type StoreContext } from "./shared";

/**
 * Return labels on Shopify's side: RETURN_LABEL staged uploads (a label is a PDF or an
 * image) and reverseDeliveryCreateWithShipping with Shopify's checks — the reverse
 * fulfillment order open, its own line items within their quantities, a label file that
 * was uploaded to its staged target — then the delivery the shopper sees in their account.
 */

type Args = Record<string, any>;
const userError = (field: string[], message: string, code?: string) => ({ field, message, ...(code ? { code } : {}) });

const LABEL_TYPES = new Set(["application/pdf", "image/png", "image/jpeg"]);
/** What a carrier tracking number says of its carrier, as Shopify recognises common formats. */
const carrierOf = (number: string) =>
  /^9[2-5]\d{20}$/.test(number)
    ? "USPS"
    : /^1Z[0-9A-Z]{16}$/.test(number)
      ? "UPS"
      : /^\d{12}$/.test(number)
        ? "FedEx"
        : null;

function labelUploadErrors(input: Args[]) {
  return input.flatMap((target, index) => {
    if (target.resource !== "RETURN_LABEL") return [];
    const at = (field: string) => ["input", String(index), field];
    if (!LABEL_TYPES.has(String(target.mimeType).toLowerCase()))
      return [userError(at("mimeType"), `Mime type ${target.mimeType} is not supported for a return label`)];
    return [];
  });
}

function createDelivery(context: StoreContext, args: Args) {
  const { store, origin } = context;
  const rfo = nodeOfType(store, args.reverseFulfillmentOrderId, "ReverseFulfillmentOrder");
  if (!rfo)
    throw new ReturnError("NOT_FOUND", ["reverseFulfillmentOrderId"], "Reverse fulfillment order does not exist.");
  const lines = (args.reverseDeliveryLineItems ?? []) as Args[];
  if (!lines.length)
    throw new ReturnError("BLANK", ["reverseDeliveryLineItems"], "Reverse delivery line items can't be blank.");
  const chosen = lines.map((line, index) => {
    const item = (rfo.lineItems as Node[]).find((l) => l.id === line.reverseFulfillmentOrderLineItemId);
    const field = ["reverseDeliveryLineItems", String(index)];
    if (!item)
      throw new ReturnError("NOT_FOUND", [...field, "reverseFulfillmentOrderLineItemId"], "Line item does not exist.");
    if (line.quantity <= 0 || line.quantity > item.totalQuantity)
      throw new ReturnError("INVALID", [...field, "quantity"], "Quantity is not available for the reverse delivery.");
    return { item, quantity: line.quantity as number };
  });
  const fileUrl = args.labelInput?.fileUrl as string | undefined;
  if (fileUrl?.startsWith(`${origin}/uploads/`)) {
    const upload = store.uploads.get(new URL(fileUrl).pathname);
    if (!upload) throw new ReturnError("INVALID", ["labelInput", "fileUrl"], "The label file was not uploaded.");
  }
  const number = args.trackingInput?.number ?? null;
  const delivery = attachReturnLabel(store, rfo, {
    fileUrl: fileUrl ?? null,
    trackingNumber: number,
    trackingUrl: args.trackingInput?.url ?? null,
  });
  delivery.reverseDeliveryLineItems = chosen.map(({ item, quantity }) => ({
    __typename: "ReverseDeliveryLineItem",
    id: store.gid("ReverseDeliveryLineItem"),
    reverseFulfillmentOrderLineItem: item,
    quantity,
  }));
  if (delivery.deliverable.tracking) delivery.deliverable.tracking.carrierName = number ? carrierOf(number) : null;
  delivery._notifyCustomer = Boolean(args.notifyCustomer);
  return delivery;
}

/** The emulator's resolver map with return labels in it (wrapping the staged uploads it already has). */
export function withReturnLabels(map: ResolverMap): ResolverMap {
  const staged = map.Mutation!.stagedUploadsCreate!;
  return {
    ...map,
    Mutation: {
      ...map.Mutation,
      stagedUploadsCreate: (root, args: Args, context, info) => {
        const errors = labelUploadErrors(args.input as Args[]);
        return errors.length ? { stagedTargets: null, userErrors: errors } : staged(root, args, context, info);
      },
      reverseDeliveryCreateWithShipping: (_r, args: Args, context: StoreContext) => {
        try {
          return { reverseDelivery: createDelivery(context, args), userErrors: [] };
        } catch (error) {
          if (!(error instanceof ReturnError)) throw error;
          return { reverseDelivery: null, userErrors: [userError(error.field, error.message, error.code)] };
        }
      },
    },
  };
}
