import type { AdminGateway } from "../shopify/admin-gateway.server";
import { PortalError } from "./portal-errors";
import type { ReturnPhotoUpload } from "./portal-types";
import type { PhotoRecord } from "./return-record.server";
import { FILE_CREATE_MUTATION, STAGED_UPLOADS_MUTATION } from "./returns-documents";

/** A claim photo may be this large (Shopify itself takes images up to 20 MB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTOS_MAX = 5;

const SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/png", test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: "image/gif", test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  {
    type: "image/webp",
    test: (b) =>
      String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP",
  },
];

/** The image type the bytes really are (never what the browser claimed), or null. */
export function imageTypeOf(data: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.test(data))?.type ?? null;
}

/** Every photo is a JPEG, PNG, GIF or WebP of at most PHOTO_MAX_BYTES; refused with the photo named otherwise. */
export function checkPhotos(photos: readonly ReturnPhotoUpload[]): void {
  if (photos.length > PHOTOS_MAX) throw new PortalError("BAD_PHOTO", `Attach at most ${PHOTOS_MAX} photos.`, "photos");
  photos.forEach((photo, index) => {
    const name = photo.filename || `Photo ${index + 1}`;
    const field = `photos[${index}]`;
    if (!photo.data?.length) throw new PortalError("BAD_PHOTO", `${name} is empty; choose the photo again.`, field);
    if (photo.data.length > PHOTO_MAX_BYTES)
      throw new PortalError(
        "BAD_PHOTO",
        `${name} is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB; send a smaller photo.`,
        field,
      );
    const actual = imageTypeOf(photo.data);
    if (!actual)
      throw new PortalError("BAD_PHOTO", `${name} is not a photo; send a JPEG, PNG, GIF or WebP image.`, field);
    if (photo.contentType && !photo.contentType.toLowerCase().startsWith("image/"))
      throw new PortalError("BAD_PHOTO", `${name} is not a photo; send a JPEG, PNG, GIF or WebP image.`, field);
  });
}

interface UserError {
  field: string[] | null;
  message: string;
}

export class ShopifyRefusal extends PortalError {
  constructor(errors: UserError[], what: string) {
    super("SHOPIFY_USER_ERROR", `The store could not ${what}: ${errors.map((e) => e.message).join(" ")}`);
  }
}

/** Upload the photos as Shopify files (staged upload, then fileCreate), so the merchant sees them with the claim. */
export async function uploadClaimPhotos(
  gateway: AdminGateway,
  photos: readonly ReturnPhotoUpload[],
  alt: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PhotoRecord[]> {
  if (!photos.length) return [];
  const types = photos.map((p) => imageTypeOf(p.data)!);
  const staged = await gateway.request<{
    stagedUploadsCreate: {
      stagedTargets: Array<{ url: string; resourceUrl: string; parameters: Array<{ name: string; value: string }> }>;
      userErrors: UserError[];
    };
  }>(STAGED_UPLOADS_MUTATION, {
    input: photos.map((photo, i) => ({
      resource: "IMAGE",
      filename: photo.filename || `claim-photo-${i + 1}`,
      mimeType: types[i],
      fileSize: String(photo.data.length),
      httpMethod: "PUT",
    })),
  });
  if (staged.stagedUploadsCreate.userErrors.length)
    throw new ShopifyRefusal(staged.stagedUploadsCreate.userErrors, "accept the photos");
  const targets = staged.stagedUploadsCreate.stagedTargets;
  await Promise.all(
    targets.map(async (target, i) => {
      const headers = Object.fromEntries(target.parameters.map((p) => [p.name, p.value]));
      const response = await fetchImpl(target.url, { method: "PUT", body: Buffer.from(photos[i]!.data), headers });
      if (!response.ok)
        throw new PortalError(
          "SHOPIFY_UNAVAILABLE",
          "The photos could not be uploaded just now, and nothing was changed. Please try again in a minute.",
        );
    }),
  );
  const created = await gateway.request<{
    fileCreate: {
      files: Array<{ id: string; fileStatus: string; image?: { url: string } | null }> | null;
      userErrors: UserError[];
    };
  }>(FILE_CREATE_MUTATION, {
    files: targets.map((target, i) => ({
      originalSource: target.resourceUrl,
      contentType: "IMAGE",
      alt,
      filename: photos[i]!.filename || undefined,
    })),
  });
  if (created.fileCreate.userErrors.length || !created.fileCreate.files)
    throw new ShopifyRefusal(created.fileCreate.userErrors, "store the photos");
  const failed = created.fileCreate.files.findIndex((f) => f.fileStatus === "FAILED");
  if (failed >= 0)
    throw new PortalError(
      "BAD_PHOTO",
      `${photos[failed]!.filename || `Photo ${failed + 1}`} could not be read as an image; send another photo.`,
      `photos[${failed}]`,
    );
  return created.fileCreate.files.map((file, i) => ({
    fileId: file.id,
    url: file.image?.url ?? null,
    contentType: types[i]!,
    bytes: photos[i]!.data.length,
  }));
}
