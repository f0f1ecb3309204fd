import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { PHOTO_MAX_BYTES, PHOTOS_MAX } from "../returns/claim-photos.server";
import { PortalError } from "../returns/portal-errors";
import type { ReturnPhotoUpload } from "../returns/portal-types";
import type { WarrantyClaimInput } from "./file-warranty-claim.server";

const PHOTO_TOO_LARGE = `Each photo can be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB; choose a smaller one.`;

/** Reads the claim form both portal surfaces post: orderId, claimKey, lineId, issue, note and photos. */
export async function readWarrantyClaimForm(
  request: Request,
): Promise<Omit<WarrantyClaimInput, "orderId"> & { orderId: string }> {
  if (Number(request.headers.get("content-length") ?? 0) > PHOTOS_MAX * PHOTO_MAX_BYTES + 64 * 1024)
    throw new PortalError("BAD_PHOTO", PHOTO_TOO_LARGE, "photos");
  const form = await unstable_parseMultipartFormData(
    request,
    unstable_createMemoryUploadHandler({ maxPartSize: PHOTO_MAX_BYTES }),
  ).catch((error: unknown) => {
    throw error instanceof MaxPartSizeExceededError
      ? new PortalError("BAD_PHOTO", PHOTO_TOO_LARGE, "photos")
      : new PortalError("BAD_REQUEST", "The claim form could not be read; reload the page and try again.");
  });
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const photos: ReturnPhotoUpload[] = [];
  for (const part of form.getAll("photos")) {
    if (typeof part === "string" || part.size === 0) continue;
    photos.push({ filename: part.name, contentType: part.type, data: new Uint8Array(await part.arrayBuffer()) });
  }
  return {
    orderId: field("orderId"),
    claimKey: field("claimKey"),
    lineId: field("lineId"),
    issue: field("issue"),
    note: field("note"),
    photos,
  };
}
