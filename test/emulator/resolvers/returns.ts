import type { ResolverMap } from "../graphql/execute";
import { cancelOrder } from "../actions/orders";
import { requestReturn, ReturnError } from "../actions/returns";
import { cents } from "../money";
import type { EmulatedStore, Node } from "../store";
import { nodeOfType, type StoreContext } from "./shared";

/**
 * The return portal's side of Shopify: returnRequest with the return shipping fee,
 * orderCancel (an asynchronous job in 2026-10), staged uploads and fileCreate for
 * claim photos, and the job query. Shopify's states and userErrors throughout.
 */

type Args = Record<string, any>;
const userError = (field: string[] | null, message: string, code?: string) => ({
  field,
  message,
  ...(code ? { code } : {}),
});

/** Shopify's limit for an image file (20 MB). */
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"]);

/** What the bytes are, by their signature: Shopify decides by the content, not by the name. */
function sniffImage(body: Buffer): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => body[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && body.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  return null;
}

function returnRequest(store: EmulatedStore, input: Args) {
  const order = nodeOfType(store, input.orderId, "Order");
  if (!order) throw new ReturnError("NOT_FOUND", ["input", "orderId"], "Order does not exist.");
  if (order.cancelledAt) throw new ReturnError("INVALID_STATE", ["input", "orderId"], "Order is canceled.");
  const fee = input.returnShippingFee?.amount as { amount: string; currencyCode: string } | undefined;
  if (fee && fee.currencyCode !== order.currencyCode)
    throw new ReturnError(
      "INVALID",
      ["input", "returnShippingFee", "amount", "currencyCode"],
      "Currency code must match the order's currency.",
    );
  const feeCents = fee ? cents(String(fee.amount)) : null;
  if (feeCents !== null && feeCents < 0)
    throw new ReturnError(
      "GREATER_THAN_OR_EQUAL_TO",
      ["input", "returnShippingFee", "amount"],
      "Return shipping fee must be greater than or equal to 0.",
    );
  return requestReturn(store, order, input.returnLineItems, store.now(), { shippingFeeCents: feeCents });
}

function orderCancel(store: EmulatedStore, args: Args) {
  const fail = (field: string[], message: string, code: string) => ({
    job: null,
    jobResult: null,
    orderCancelUserErrors: [userError(field, message, code)],
    userErrors: [userError(field, message)],
  });
  const order = nodeOfType(store, args.orderId, "Order");
  if (!order) return fail(["orderId"], "Order does not exist", "NOT_FOUND");
  if (order.cancelledAt) return fail(["orderId"], "Cannot cancel an order that has already been canceled", "INVALID");
  if ((order.fulfillments as Node[]).some((f) => f.status === "SUCCESS"))
    return fail(["orderId"], "Cannot cancel an order that has fulfillments", "INVALID");
  if (args.staffNote && String(args.staffNote).length > 255)
    return fail(["staffNote"], "Staff note is too long (maximum is 255 characters)", "INVALID");
  const refund = args.refundMethod?.originalPaymentMethodsRefund ?? args.refund ?? false;
  const job = store.register({ __typename: "Job", id: store.gid("Job"), done: false, _polls: 0 });
  // Shopify queues the cancellation; the order is cancelled by the time the job reports done.
  cancelOrder(store, order, store.now(), args.reason, {
    restock: args.restock,
    refund,
    notifyCustomer: args.notifyCustomer ?? false,
    staffNote: args.staffNote ?? null,
  });
  return {
    job,
    jobResult: {
      __typename: "OrderCancelJobResult",
      id: job.id,
      done: false,
      status: "STARTED",
      errors: [],
      order,
    },
    orderCancelUserErrors: [],
    userErrors: [],
  };
}

function stagedUploadsCreate(input: Args[], origin: string) {
  const errors = input.flatMap((target, index) => {
    if (!target.filename) return [userError(["input", String(index), "filename"], "Filename can't be blank")];
    if (["IMAGE", "PRODUCT_IMAGE", "SHOP_IMAGE", "COLLECTION_IMAGE"].includes(target.resource)) {
      if (!IMAGE_TYPES.has(String(target.mimeType).toLowerCase()))
        return [userError(["input", String(index), "mimeType"], `Mime type ${target.mimeType} is not an image`)];
      if (target.fileSize != null && Number(target.fileSize) > IMAGE_MAX_BYTES)
        return [userError(["input", String(index), "fileSize"], "File size must be less than 20 MB")];
    }
    return [];
  });
  if (errors.length) return { stagedTargets: null, userErrors: errors };
  return {
    stagedTargets: input.map((target) => {
      const key = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}/${encodeURIComponent(target.filename)}`;
      const url = `${origin}/uploads/${key}`;
      return { url, resourceUrl: url, parameters: [{ name: "Content-Type", value: target.mimeType }] };
    }),
    userErrors: [],
  };
}

/**
 * Files from uploads: an IMAGE that is not an image, or too large, fails processing
 * (fileStatus FAILED with fileErrors), as Shopify reports it after the upload.
 */
function fileCreate(store: EmulatedStore, files: Args[], origin: string) {
  const errors = files.flatMap((file, index) =>
    /^https?:\/\//.test(file.originalSource)
      ? []
      : [userError(["files", String(index), "originalSource"], "Image URL is invalid", "INVALID")],
  );
  if (errors.length) return { files: null, userErrors: errors };
  const created = files.map((file) => {
    const now = store.now().toISOString();
    const source = String(file.originalSource);
    const upload = source.startsWith(`${origin}/uploads/`) ? store.uploads.get(new URL(source).pathname) : undefined;
    const image = file.contentType === "IMAGE";
    const fileErrors: Array<{ code: string; message: string; details: string | null }> = [];
    const sniffed = upload ? sniffImage(upload.body) : null;
    if (image && upload && !sniffed)
      fileErrors.push({
        code: "UNSUPPORTED_IMAGE_FILE_TYPE",
        message: "Image format is not supported.",
        details: null,
      });
    if (image && upload && upload.body.length > IMAGE_MAX_BYTES)
      fileErrors.push({ code: "INVALID_IMAGE_FILE_SIZE", message: "Image exceeds the maximum size.", details: null });
    const node = store.register({
      __typename: image ? "MediaImage" : "GenericFile",
      id: store.gid(image ? "MediaImage" : "GenericFile"),
      alt: file.alt ?? null,
      createdAt: now,
      updatedAt: now,
      fileErrors,
      fileStatus: fileErrors.length ? "FAILED" : upload ? "READY" : "UPLOADED",
      url: source,
      image: image && !fileErrors.length ? { __typename: "Image", url: source, altText: file.alt ?? null } : null,
      mimeType: sniffed ?? upload?.type ?? null,
      originalFileSize: upload?.body.length ?? null,
      preview: null,
      _filename: file.filename ?? null,
    });
    store.files.push(node);
    return node;
  });
  return { files: created, userErrors: [] };
}

function withPayload(run: () => Node) {
  try {
    return { return: run(), userErrors: [] };
  } catch (error) {
    if (error instanceof ReturnError)
      return { return: null, userErrors: [userError(error.field, error.message, error.code)] };
    throw error;
  }
}

/** Adds the portal's operations to a resolver map (one line in server.ts). */
export function withPortalReturns(resolvers: ResolverMap): ResolverMap {
  return {
    ...resolvers,
    QueryRoot: {
      ...resolvers.QueryRoot,
      job: (_r, { id }: Args, { store }: StoreContext) => {
        const job = nodeOfType(store, id, "Job");
        // Done from the first poll on: the emulator applies the cancellation at once.
        if (job) job.done = true;
        return job;
      },
    },
    Mutation: {
      ...resolvers.Mutation,
      returnRequest: (_r, { input }: Args, { store }: StoreContext) => withPayload(() => returnRequest(store, input)),
      orderCancel: (_r, args: Args, { store }: StoreContext) => orderCancel(store, args),
      stagedUploadsCreate: (_r, { input }: Args, context: StoreContext) =>
        stagedUploadsCreate(input, context.origin as string),
      fileCreate: (_r, { files }: Args, context: StoreContext) =>
        fileCreate(context.store, files, context.origin as string),
    },
  };
}
