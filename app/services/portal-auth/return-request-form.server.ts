import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { PHOTO_MAX_BYTES, PHOTOS_MAX } from "../returns/claim-photos.server";
import { PortalError } from "../returns/portal-errors";
import { RETURN_REASONS, type ReturnReason, type ReturnRequestInput } from "../returns/portal-types";

/** Every photo at its largest plus the form's text fields. */
const BODY_MAX_BYTES = PHOTOS_MAX * PHOTO_MAX_BYTES + 64 * 1024;
const NOTE_MAX_CHARS = 2_000;

const tooLarge = () =>
  new PortalError(
    "BAD_PHOTO",
    `Each photo can be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB; choose a smaller one or reduce its size.`,
    "photos",
  );

/**
 * The multipart form both surfaces post (the extension's FormData, the online-store page's plain
 * form): orderId, requestKey, reason, note, the lines and the claim photos. Lines arrive either as
 * `lines` (JSON `[{lineId, quantity}]`) or one `quantity:<lineId>` field per line.
 */
export async function readReturnRequestForm(request: Request): Promise<ReturnRequestInput> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > BODY_MAX_BYTES) throw tooLarge();
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: PHOTO_MAX_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw tooLarge();
    throw new PortalError("BAD_REQUEST", "The form could not be read; reload the page and try again.");
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };

  const reason = text("reason") as ReturnReason;
  if (!RETURN_REASONS.includes(reason))
    throw new PortalError("BAD_REQUEST", "Choose a reason for the return.", "reason");
  const requestKey = text("requestKey");
  if (!/^[\w-]{8,100}$/.test(requestKey)) {
    throw new PortalError("BAD_REQUEST", "The form is out of date; reload the page and try again.", "requestKey");
  }
  const note = text("note");
  if (note.length > NOTE_MAX_CHARS) {
    throw new PortalError("BAD_REQUEST", `Keep the note under ${NOTE_MAX_CHARS} characters.`, "note");
  }

  const photos = [];
  for (const entry of form.getAll("photos")) {
    if (typeof entry === "string" || entry.size === 0) continue; // an empty file input sends an empty part
    photos.push({
      filename: entry.name,
      contentType: entry.type,
      data: new Uint8Array(await entry.arrayBuffer()),
    });
  }
  if (photos.length > PHOTOS_MAX) throw new PortalError("BAD_PHOTO", `Attach at most ${PHOTOS_MAX} photos.`, "photos");

  return { orderId: text("orderId"), requestKey, reason, note: note || undefined, lines: readLines(form), photos };
}

function readLines(form: FormData): ReturnRequestInput["lines"] {
  const badLines = () => new PortalError("BAD_REQUEST", "Choose how many of each item to send back.", "lines");
  const json = form.get("lines");
  let lines: Array<{ lineId: unknown; quantity: unknown }> = [];
  if (typeof json === "string" && json.trim()) {
    try {
      lines = JSON.parse(json);
    } catch {
      throw badLines();
    }
    if (!Array.isArray(lines)) throw badLines();
  } else {
    for (const [name, value] of form.entries()) {
      if (name.startsWith("quantity:") && typeof value === "string" && value.trim() !== "") {
        lines.push({ lineId: name.slice("quantity:".length), quantity: Number(value) });
      }
    }
  }
  const chosen = lines
    .map((line) => ({ lineId: String(line?.lineId ?? ""), quantity: Number(line?.quantity) }))
    .filter((line) => line.quantity !== 0);
  if (chosen.some((line) => !line.lineId || !Number.isInteger(line.quantity) || line.quantity < 0)) throw badLines();
  if (!chosen.length) throw new PortalError("BAD_REQUEST", "Choose at least one item to send back.", "lines");
  return chosen;
}
