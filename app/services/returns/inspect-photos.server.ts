import type { AdminGateway } from "../shopify/admin-gateway.server";
import { checkPhotos, uploadClaimPhotos } from "./claim-photos.server";
import { PortalError } from "./portal-errors";
import type { ReturnPhotoUpload } from "./portal-types";
import { QueueError, type QueueErrorCode } from "./queue-errors";
import { once, type QueueContext } from "./queue-steps.server";
import type { PhotoRecord } from "./return-record.server";

/** The claim photos' errors in the queue's words: bad photos are staff's input (400), the rest Shopify's. */
function asQueueError(error: unknown): unknown {
  if (!(error instanceof PortalError)) return error;
  const code: QueueErrorCode =
    error.code === "SHOPIFY_USER_ERROR" || error.code === "SHOPIFY_UNAVAILABLE" ? error.code : "BAD_REQUEST";
  return new QueueError(code, error.message);
}

/** RET-5's photos obey the claim photos' limits (images by their bytes, size, count); refused before anything is stored. */
export function checkInspectionPhotos(photos: readonly ReturnPhotoUpload[]): void {
  try {
    checkPhotos(photos);
  } catch (error) {
    throw asQueueError(error);
  }
}

/**
 * The inspection's photos uploaded as Shopify files the way claim photos are (staged upload,
 * then fileCreate), once per return: a double click or a retry reuses the files already made.
 */
export async function uploadInspectionPhotos(
  ctx: QueueContext,
  returnId: string,
  photos: readonly ReturnPhotoUpload[],
): Promise<PhotoRecord[]> {
  if (!photos.length) return [];
  const shop = ctx.gateway.shop;
  return once(ctx.db, shop, `inspection-photos:${returnId}`, ctx.now, async () => {
    try {
      // The claim-photo upload only sends Admin API requests through the gateway.
      const gateway = ctx.gateway as unknown as AdminGateway;
      return await uploadClaimPhotos(gateway, photos, `Inspection of return ${returnId.split("/").pop()}`);
    } catch (error) {
      throw asQueueError(error);
    }
  });
}
